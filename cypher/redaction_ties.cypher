// The ties redaction follows: who uses or holds what, the roles people have in cases, and applied SAME_AS decisions.
MATCH (p:Person)-[r:USES|HOLDS|INVOLVED_IN|SAME_AS]->(x)
WHERE type(r) <> 'SAME_AS' OR r.status = 'applied'
RETURN p.uid AS source, type(r) AS type, x.uid AS target, r.role AS role
