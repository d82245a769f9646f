// Applied merge decisions between person records (edges of the applied clusters).
MATCH (a:Person)-[r:SAME_AS]->(b:Person)
WHERE r.status = $status
RETURN a.uid AS a, b.uid AS b
