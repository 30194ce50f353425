"""The HTTP service: SPARQL 1.1 Protocol endpoint and REST API."""
