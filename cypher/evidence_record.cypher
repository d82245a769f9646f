// A named evidence query: one person record ($uid) and the ties its own file rows assert.
// Use: graphnet evidence export OUT --query evidence_record --param uid=<person uid>
MATCH (p:Person {uid: $uid})
OPTIONAL MATCH (p)-[r]-(x)
WHERE NOT x:Source
RETURN p, r, x
