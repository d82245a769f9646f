// A named evidence query: everyone in a case ($case = the case uid) and the ties among them.
// Use: graphnet evidence export OUT --query evidence_case --param case=<case uid>
// Ties that are not evidence (hypotheses, resolution decisions) are dropped by the exporter.
MATCH (c:Case {uid: $case})<-[r]-(p:Person)
WHERE type(r) IN ['INVOLVED_IN', 'CONVICTED_IN']
OPTIONAL MATCH (p)-[t]-(q:Person)-[]->(c)
RETURN c, r, p, t
