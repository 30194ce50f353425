"""Generate ``namespace.py``, the closed Python namespace of the ontology's terms.

The Turtle file is the single source of the vocabulary; this module turns it
into an rdflib ``DefinedNamespace`` so that code names terms as ``MG.Acquisition``
and a misspelt term fails at import time rather than minting a wrong IRI.

Run it after every change to ``marketgraph.ttl``::

    python -m marketgraph.ontology.generate            # rewrites ontology/namespace.py
    python -m marketgraph.ontology.generate out.py     # writes elsewhere
"""

from __future__ import annotations

import keyword
import sys
from collections.abc import Iterable
from importlib.resources.abc import Traversable
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import DCTERMS

from marketgraph.errors import InputError

from . import ONTOLOGY_PATH

NAMESPACE = "https://w3id.org/marketgraph/ontology#"
ID_NAMESPACE = "https://w3id.org/marketgraph/id/"

#: Where ``python -m marketgraph.ontology.generate`` writes when given no path.
NAMESPACE_PATH = Path(__file__).with_name("namespace.py")

# Sections of the generated class, in order; a term goes in the first whose
# type it has (an individual is typed both owl:NamedIndividual and mg:Measure).
_SECTIONS: tuple[tuple[URIRef, str], ...] = (
    (OWL.Class, "Classes"),
    (OWL.NamedIndividual, "Individuals"),
    (OWL.ObjectProperty, "Object properties"),
    (OWL.DatatypeProperty, "Datatype properties"),
    (OWL.AnnotationProperty, "Annotation properties"),
)

_HEADER = '''\
# Generated from marketgraph.ttl by marketgraph.ontology.generate: do not edit.
# To regenerate after changing the ontology: python -m marketgraph.ontology.generate
"""The ontology's terms as a closed rdflib namespace.

``MG`` holds every term the ontology declares: ``MG.Acquisition`` is the
class's IRI, and a term it does not declare raises AttributeError.
``MGID`` is the namespace that entity IRIs are minted in.

>>> str(MG.Acquisition)
'{ns}Acquisition'
"""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef


class MG(DefinedNamespace):
    """{title}, version {version}.

    Generated from the ontology <{ontology}>.
    """

    _fail = True
    _NS = Namespace("{ns}")
'''

_FOOTER = """

MGID = Namespace("{id_ns}")
"""


def namespace_source(ttl_path: Path | Traversable = ONTOLOGY_PATH) -> str:
    """The Python source of ``namespace.py`` for the ontology in ``ttl_path``.

    Every IRI in the ``mg:`` namespace that the file types as an OWL class,
    individual or property becomes one annotated attribute of the ``MG``
    class, grouped by kind and sorted by name, with its ``rdfs:label`` as a
    trailing comment.

    Args:
        ttl_path: the ontology in Turtle; the packaged ``marketgraph.ttl`` by
            default.

    Returns:
        The module source, formatted as ``ruff format`` leaves it.

    Raises:
        InputError: the file is missing or not Turtle, or a term has no
            single label or a name that cannot be a Python attribute.

    >>> source = namespace_source()
    >>> "    Acquisition: URIRef  # Acquisition" in source
    True
    """
    graph = _parse(ttl_path)
    sections: dict[str, list[str]] = {title: [] for _, title in _SECTIONS}
    for term in sorted(set(_terms(graph))):
        name = term[len(NAMESPACE) :]
        _check_name(name, ttl_path)
        types = set(graph.objects(term, RDF.type))
        title = next(title for kind, title in _SECTIONS if kind in types)
        sections[title].append(f"    {name}: URIRef  # {_label(graph, term, ttl_path)}")

    ontology = _ontology(graph, ttl_path)
    parts = [
        _HEADER.format(
            ns=NAMESPACE,
            ontology=ontology,
            title=graph.value(ontology, DCTERMS.title) or "The marketgraph ontology",
            version=graph.value(ontology, OWL.versionInfo) or "unversioned",
        )
    ]
    for title, lines in sections.items():
        if lines:
            parts.append(f"\n    # {title}\n" + "\n".join(lines) + "\n")
    parts.append(_FOOTER.format(id_ns=ID_NAMESPACE))
    return "".join(parts)


def write_namespace(
    path: Path = NAMESPACE_PATH, ttl_path: Path | Traversable = ONTOLOGY_PATH
) -> Path:
    """Write the namespace module for ``ttl_path`` to ``path`` and return ``path``.

    Raises:
        InputError: as :func:`namespace_source` does, or ``path`` cannot be written.
    """
    source = namespace_source(ttl_path)
    try:
        path.write_text(source, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror}; pass a writable path") from exc
    return path


def _parse(ttl_path: Path | Traversable) -> Graph:
    try:
        data = ttl_path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(
            f"cannot read the ontology {ttl_path}: {exc.strerror}; pass the path of a Turtle file"
        ) from exc
    try:
        return Graph().parse(data=data, format="turtle")
    except Exception as exc:  # rdflib raises several unrelated types for bad syntax
        raise InputError(f"{ttl_path} is not valid Turtle ({exc}); fix the syntax") from exc


def _ontology(graph: Graph, ttl_path: Path | Traversable) -> URIRef:
    found = [s for s in graph.subjects(RDF.type, OWL.Ontology) if isinstance(s, URIRef)]
    if len(found) != 1:
        raise InputError(f"{ttl_path} declares {len(found)} owl:Ontology IRIs; declare exactly one")
    return found[0]


def _terms(graph: Graph) -> Iterable[URIRef]:
    kinds = {kind for kind, _ in _SECTIONS}
    for subject, kind in graph.subject_objects(RDF.type):
        if isinstance(subject, URIRef) and subject.startswith(NAMESPACE) and kind in kinds:
            yield subject


def _check_name(name: str, ttl_path: Path | Traversable) -> None:
    if not name.isidentifier() or keyword.iskeyword(name) or name.startswith("_"):
        raise InputError(
            f"term mg:{name} in {ttl_path} cannot be a Python attribute; "
            "rename it to a letter-first name of letters, digits and underscores"
        )


def _label(graph: Graph, term: URIRef, ttl_path: Path | Traversable) -> str:
    labels = list(graph.objects(term, RDFS.label))
    if len(labels) != 1:
        raise InputError(
            f"term <{term}> in {ttl_path} has {len(labels)} rdfs:label values; give it exactly one"
        )
    # One line, so the label cannot break out of its comment.
    return " ".join(str(labels[0]).split())


def main(argv: list[str] | None = None) -> int:
    """Write ``namespace.py``: next to this module, or to the one path in ``argv``."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1:
        print("usage: python -m marketgraph.ontology.generate [OUTPUT.py]", file=sys.stderr)
        return 2
    try:
        path = write_namespace(Path(args[0]) if args else NAMESPACE_PATH)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
