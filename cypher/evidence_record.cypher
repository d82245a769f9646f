// A named evidence query: one person record ($uid) and the evidence ties of that record.
// Use: graphnet evidence export OUT --query evidence_record --param uid=<person uid>
// (merge decisions and hypotheses are not followed; the exporter would drop them anyway)
MATCH (p:Person {uid: $uid})
OPTIONAL MATCH (p)-[r]-(x)
WHERE NOT x:Source AND NOT type(r) IN ['SAME_AS', 'HYPOTHESIS']
RETURN p, r, x
