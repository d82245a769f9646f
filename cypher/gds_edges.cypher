// The ties gds_project.cypher projects, for the same graph in Python (tests, benchmarks).
MATCH (s:Person)-[r]->(t:Person)
WHERE type(r) IN $types AND s <> t
WITH CASE WHEN $directed OR s.uid < t.uid THEN s ELSE t END AS a,
     CASE WHEN $directed OR s.uid < t.uid THEN t ELSE s END AS b,
     coalesce(toFloat(r.weight), 1.0) AS w
WITH a, b, sum(w) AS weight
WHERE weight > 0
RETURN a.uid AS a, b.uid AS b, weight
