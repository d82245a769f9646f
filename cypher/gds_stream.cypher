// Stream one GDS measure; {procedure} is filled from a fixed whitelist in graphnet.analytics.gds.
CALL {procedure}($graph, $config) YIELD nodeId, score
RETURN gds.util.asNode(nodeId).uid AS uid, score
