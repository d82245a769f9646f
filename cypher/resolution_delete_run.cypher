// Take back the new decisions of a resolution run that failed while writing: the SAME_AS ties of
// these pairs that this run created (its decided_at and decided_by, no history yet).
UNWIND $rows AS row
MATCH (a:Person {uid: row.a})-[r:SAME_AS]->(b:Person {uid: row.b})
WHERE r.decided_at = $decided_at AND r.decided_by = $decided_by AND r.history = []
DELETE r
RETURN count(*) AS deleted
