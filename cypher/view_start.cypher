// The record $uid (any label but Source) and every record merged with it (applied SAME_AS),
// as element ids: where `graphnet view --around <uid>` starts looking in the database.
MATCH (n)
WHERE n.uid = $uid AND NOT n:Source
MATCH (n)-[s:SAME_AS*0..]-(x)
WHERE all(e IN s WHERE e.status = 'applied')
RETURN DISTINCT elementId(x) AS id, x.uid AS uid
