// New merge decisions (never overwrites one that exists: ON CREATE only).
UNWIND $rows AS row
MATCH (a:Person {uid: row.a}), (b:Person {uid: row.b})
MERGE (a)-[r:SAME_AS]->(b)
ON CREATE SET r.key = '', r.src = [], r.status = row.status, r.reason = row.reason, r.score = row.score,
              r.decided_at = $decided_at, r.decided_by = $decided_by, r.history = []
RETURN count(r) AS written
