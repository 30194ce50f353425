"""The OWL ontology of marketgraph and its Python namespace.

``marketgraph.ttl`` declares every term of the public vocabulary; ``MG`` is
the same terms as a closed rdflib namespace (generated from the Turtle by
``python -m marketgraph.ontology.generate``), and ``MGID`` the namespace of
entity IRIs.

>>> from marketgraph.ontology import MG, load_ontology
>>> from rdflib import RDFS
>>> (MG.Acquisition, RDFS.subClassOf, MG.Deal) in load_ontology()
True
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from rdflib import Graph, URIRef

from .namespace import MG, MGID

#: The ontology in Turtle, as packaged (a ``Traversable``; a plain path in a normal install).
ONTOLOGY_PATH = files(__name__) / "marketgraph.ttl"

#: The name of the graph the store keeps the ontology in: the ontology's own IRI.
ONTOLOGY_GRAPH = URIRef("https://w3id.org/marketgraph/ontology")

__all__ = ["MG", "MGID", "ONTOLOGY_GRAPH", "ONTOLOGY_PATH", "load_ontology"]


@cache
def load_ontology() -> Graph:
    """The ontology as an rdflib graph, parsed once and then shared.

    Every call returns the same graph object: read it, do not change it
    (copy it first, e.g. ``Graph() + load_ontology()``, to add triples).

    >>> len(load_ontology()) > 0
    True
    """
    graph = Graph(identifier=ONTOLOGY_GRAPH)
    graph.parse(data=ONTOLOGY_PATH.read_text(encoding="utf-8"), format="turtle")
    graph.bind("mg", MG._NS)
    graph.bind("mgid", MGID)
    return graph
