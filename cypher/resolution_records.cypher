// Every person record with what resolution compares: identifiers, birth date, phones used,
// accounts and documents held (documents carry their own birth date), and the things it is
// tied to (cases, lodgings, vehicles, phones, accounts, documents, organisations, events) as context.
MATCH (p:Person)
WHERE p.uid IS NOT NULL
OPTIONAL MATCH (p)-[:USES]->(ph:Phone)
WITH p, collect(DISTINCT ph.uid) AS phones
OPTIONAL MATCH (p)-[:HOLDS]->(x)
WHERE x:Account OR x:Document
WITH p, phones,
     collect(DISTINCT CASE WHEN x:Account THEN x.uid END) AS accounts,
     collect(DISTINCT CASE WHEN x:Document THEN {uid: x.uid, kind: x.kind, number: x.number,
                                                  birth_date: toString(x.birth_date), src: x.src} END) AS documents
OPTIONAL MATCH (p)-[rel]-(c)
WHERE NOT c:Person AND NOT c:Location AND NOT c:Source AND type(rel) <> 'SAME_AS'
WITH p, phones, accounts, documents, collect(DISTINCT type(rel) + ' ' + c.uid) AS context
RETURN p.uid AS uid, p.name AS name, toString(p.nik) AS nik, toString(p.passport) AS passport,
       toString(p.phone) AS phone, toString(p.birth_date) AS birth_date, coalesce(p.src, []) AS src,
       coalesce(p.flags, []) AS flags, phones, accounts, documents, context
ORDER BY uid
