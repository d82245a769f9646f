// Every person record with what resolution compares: identifiers, birth date, phones used,
// accounts and documents held (documents carry their own birth date).
MATCH (p:Person)
OPTIONAL MATCH (p)-[:USES]->(ph:Phone)
WITH p, collect(DISTINCT ph.uid) AS phones
OPTIONAL MATCH (p)-[:HOLDS]->(x)
WHERE x:Account OR x:Document
WITH p, phones,
     collect(DISTINCT CASE WHEN x:Account THEN x.uid END) AS accounts,
     collect(DISTINCT CASE WHEN x:Document THEN {uid: x.uid, kind: x.kind, number: x.number,
                                                  birth_date: toString(x.birth_date), src: x.src} END) AS documents
RETURN p.uid AS uid, p.name AS name, toString(p.nik) AS nik, toString(p.passport) AS passport,
       toString(p.phone) AS phone, toString(p.birth_date) AS birth_date, coalesce(p.src, []) AS src,
       coalesce(p.flags, []) AS flags, phones, accounts, documents
ORDER BY uid
