"""The exception tree shared by every stage.

Each message states the cause and the fix in one line; the command line
prints it as it is and the API maps each class to one HTTP status.
"""


class MarketGraphError(Exception):
    """Base class of every error marketgraph raises on purpose."""


class InputError(MarketGraphError):
    """A report file (or an uploaded one) cannot be read as a report."""


class ExtractionError(MarketGraphError):
    """The NLP pipeline could not be loaded or failed on a text."""


class StoreError(MarketGraphError):
    """The RDF store cannot be opened, read or written."""


class QueryError(MarketGraphError):
    """A SPARQL query or update is malformed, refused or ran out of time."""


class UnknownEntity(MarketGraphError):
    """An entity, report or other resource that the store does not hold."""
