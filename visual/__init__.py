"""Interactive graph pages drawn with pyvis."""
