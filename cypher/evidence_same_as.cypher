// Records resolved as the same person by an applied SAME_AS decision (the decision itself is never exported).
MATCH (a:Person)-[s:SAME_AS]-(b:Person)
WHERE elementId(a) IN $ids AND s.status = 'applied'
RETURN DISTINCT elementId(a) AS node, elementId(b) AS other, s.reason AS reason
