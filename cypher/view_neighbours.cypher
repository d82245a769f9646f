// The records one tie of $types away from the nodes $ids (element ids), in either direction,
// with every record merged with them (applied SAME_AS): one hop of a view's neighbourhood.
UNWIND $ids AS id
MATCH (n)-[r]-(m)
WHERE elementId(n) = id AND type(r) IN $types AND NOT m:Source AND m.uid IS NOT NULL
WITH DISTINCT m
MATCH (m)-[s:SAME_AS*0..]-(x)
WHERE all(e IN s WHERE e.status = 'applied')
RETURN DISTINCT elementId(x) AS id, x.uid AS uid
