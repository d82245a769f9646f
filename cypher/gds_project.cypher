// Project person-to-person evidence ties into a GDS in-memory graph (Cypher aggregation).
// $graph: projection name; $types: relationship types (checked against the schema);
// $directed: keep direction, else one undirected tie per pair.
// Parallel (and, undirected, reciprocal) relationships are summed into one tie:
// weight = sum of weights (missing = 1), distance = 1 / weight, as the Python projection.
MATCH (s:Person)-[r]->(t:Person)
WHERE type(r) IN $types AND s <> t
WITH CASE WHEN $directed OR s.uid < t.uid THEN s ELSE t END AS a,
     CASE WHEN $directed OR s.uid < t.uid THEN t ELSE s END AS b,
     coalesce(toFloat(r.weight), 1.0) AS w
WITH a, b, sum(w) AS weight
WHERE weight > 0
WITH gds.graph.project($graph, a, b,
       {relationshipProperties: {weight: weight, distance: 1.0 / weight}},
       {undirectedRelationshipTypes: CASE WHEN $directed THEN [] ELSE ['*'] END}) AS g
RETURN g.graphName AS graph, g.nodeCount AS nodes, g.relationshipCount AS relationships
