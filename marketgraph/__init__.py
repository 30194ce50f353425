"""marketgraph: market-research reports in, a knowledge graph out.

The import package is assembled from the project's top-level folders:
``marketgraph.extract`` (text to facts), ``marketgraph.ontology`` (the
vocabulary), ``marketgraph.graph`` (RDF store and analysis),
``marketgraph.api`` (HTTP service) and ``marketgraph.visual`` (graph pages).
This folder holds only the command line, the settings and the errors.
"""

from marketgraph.errors import (
    ExtractionError,
    InputError,
    MarketGraphError,
    QueryError,
    StoreError,
    UnknownEntity,
)

__version__ = "0.1.0"

__all__ = [
    "ExtractionError",
    "InputError",
    "MarketGraphError",
    "QueryError",
    "StoreError",
    "UnknownEntity",
    "__version__",
]
