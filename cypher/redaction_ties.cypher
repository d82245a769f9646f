// The ties redaction follows: who uses or holds what, the roles people have in cases, and SAME_AS
// decisions applied (one person) or proposed (a record suspected to be a protected person's).
MATCH (p:Person)-[r:USES|HOLDS|INVOLVED_IN|SAME_AS]->(x)
WHERE type(r) <> 'SAME_AS' OR r.status IN ['applied', 'proposed']
RETURN p.uid AS source, type(r) AS type, x.uid AS target, r.role AS role, r.status AS status
