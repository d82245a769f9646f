// Drop a graphnet GDS projection (no error when it is already gone).
CALL gds.graph.drop($graph, false) YIELD graphName
RETURN graphName
