"""The OWL ontology of marketgraph and its Python namespace."""
