// Every merge decision, optionally of one status, with the records' names.
MATCH (a:Person)-[r:SAME_AS]->(b:Person)
WHERE $status IS NULL OR r.status = $status
RETURN a.uid AS a, b.uid AS b, a.name AS a_name, b.name AS b_name,
       r.status AS status, r.reason AS reason, r.score AS score,
       r.decided_at AS decided_at, r.decided_by AS decided_by,
       coalesce(r.history, []) AS history
ORDER BY a, b
