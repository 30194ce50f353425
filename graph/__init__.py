"""The RDF store, building reports into it, and networkx analysis."""
