"""Analytics on NetworkX projections of the graph (issue 4)."""
