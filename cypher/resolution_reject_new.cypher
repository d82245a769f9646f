// Record that two records are NOT the same person when no decision existed yet.
MATCH (a:Person {uid: $a}), (b:Person {uid: $b})
MERGE (a)-[r:SAME_AS]->(b)
ON CREATE SET r.key = '', r.src = [], r.status = 'rejected', r.reason = $reason, r.score = 0.0,
              r.decided_at = $decided_at, r.decided_by = $decided_by, r.history = []
RETURN count(r) AS changed
