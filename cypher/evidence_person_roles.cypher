// Every role a person holds across all their records resolved as one (applied SAME_AS, in or out of the
// selection) and the roles they have in cases: redaction protects a victim even when the bundle only
// holds another agency's record of her (a border crossing, a phone subscription).
MATCH (p:Person) WHERE elementId(p) IN $ids
OPTIONAL MATCH (p)-[:SAME_AS*1..10 {status: 'applied'}]-(q:Person)
WITH p, [p] + collect(DISTINCT q) AS records
UNWIND records AS r
OPTIONAL MATCH (r)-[i:INVOLVED_IN]->(:Case)
RETURN elementId(p) AS id, collect(DISTINCT r.roles) AS roles, collect(DISTINCT i.role) AS case_roles
