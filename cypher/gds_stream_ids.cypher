// Stream one GDS measure of a graph projected by gds_project_graph.cypher: the node ids
// are the caller's integers. {procedure} is filled from a fixed whitelist in graphnet.analytics.gds.
CALL {procedure}($graph, $config) YIELD nodeId, score
RETURN nodeId AS id, score
