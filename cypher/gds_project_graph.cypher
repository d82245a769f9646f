// Project a graph given as lists (a report's own projection, already filtered and
// with merged records collapsed) into a GDS in-memory graph (Cypher aggregation).
// $graph: projection name; $edges: [i, j, weight, distance] with i, j integer node
// ids (positions in the caller's node list), or [i, null, null, null] for a node
// without ties; $directed: keep direction, else each tie is undirected.
UNWIND $edges AS e
WITH gds.graph.project($graph, e[0], e[1],
       CASE WHEN e[1] IS NULL THEN {} ELSE {relationshipProperties: {weight: e[2], distance: e[3]}} END,
       {undirectedRelationshipTypes: CASE WHEN $directed THEN [] ELSE ['*'] END}) AS g
RETURN g.graphName AS graph, g.nodeCount AS nodes, g.relationshipCount AS relationships
