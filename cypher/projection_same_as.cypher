// Applied merge decisions between person records (collapsed into one node by projections).
MATCH (a:Person)-[s:SAME_AS]-(b:Person)
WHERE s.status = 'applied' AND a.uid < b.uid
RETURN a.uid AS a, b.uid AS b
