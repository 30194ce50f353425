"""The REST API and the SPARQL endpoint against their own OpenAPI schema, fuzzed by schemathesis.

schemathesis reads the schema the application publishes and sends requests
it generates from it (valid ones, and ones that break the schema's rules) to
every GET operation and to POST /sparql. Whatever it sends, the answer must
not be a server error: bad input is the client's fault and gets a 4xx.
"""

from __future__ import annotations

import pytest
import schemathesis
from api_market import fill
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from marketgraph.api.app import create_app
from marketgraph.graph.store import open_store
from marketgraph.settings import Settings

pytestmark = pytest.mark.slow


def api_schema():
    """The schema of an application over the invented market, for GETs and POST /sparql."""
    store = fill(open_store(backend="memory"))
    app = create_app(Settings(backend="memory", query_timeout=5), store=store)
    loaded = schemathesis.openapi.from_asgi("/openapi.json", app)
    # POST /sparql is the one POST open to every visitor; the other writes need the token.
    return loaded.include(
        lambda ctx: ctx.operation.method.upper() == "GET" or ctx.operation.path == "/sparql"
    )


# Query and update bodies are plain UTF-8 text: send them as schemathesis sends text/plain.
schemathesis.serializer.alias("application/sparql-query", "text/plain")
schemathesis.serializer.alias("application/sparql-update", "text/plain")

# Loaded when the module is collected: schemathesis's lazy fixture loader does not
# work with the pytest this project uses, and the store is small and in memory.
schema = api_schema()


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_schema_fuzzed_requests_get_no_server_error(case):
    case.call_and_validate(checks=[not_a_server_error])
