// The decision between two records (stored in either direction), and whether both exist.
OPTIONAL MATCH (a:Person {uid: $a})
OPTIONAL MATCH (b:Person {uid: $b})
OPTIONAL MATCH (a)-[r:SAME_AS]-(b)
RETURN a IS NOT NULL AS a_exists, b IS NOT NULL AS b_exists,
       r.status AS status, r.reason AS reason, r.score AS score,
       r.decided_at AS decided_at, r.decided_by AS decided_by
