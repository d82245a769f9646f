"""Named, parameterised Cypher queries of graphnet (package data: graphnet.resources.queries)."""
