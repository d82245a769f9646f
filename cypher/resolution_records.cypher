// Every person record with what resolution compares: identifiers, birth date, phones used,
// accounts and documents held (documents carry their own birth date, in uid order), and the things
// it is tied to (cases, lodgings, vehicles, phones, accounts, documents, organisations, events) as
// context. Streamed: no aggregation over all records and no ORDER BY (the caller sorts), so the
// server never holds every record at once (a national database's 728,079 records overflowed its
// transaction memory that way).
MATCH (p:Person)
WHERE p.uid IS NOT NULL
RETURN p.uid AS uid, p.name AS name, toString(p.nik) AS nik, toString(p.passport) AS passport,
       toString(p.phone) AS phone, toString(p.birth_date) AS birth_date, coalesce(p.src, []) AS src,
       coalesce(p.flags, []) AS flags,
       COLLECT { MATCH (p)-[:USES]->(ph:Phone) WHERE ph.uid IS NOT NULL RETURN DISTINCT ph.uid } AS phones,
       COLLECT { MATCH (p)-[:HOLDS]->(x:Account) WHERE x.uid IS NOT NULL RETURN DISTINCT x.uid } AS accounts,
       COLLECT { MATCH (p)-[:HOLDS]->(x:Document)
                 RETURN DISTINCT {uid: x.uid, kind: x.kind, number: x.number, birth_date: toString(x.birth_date),
                                  src: x.src} AS d ORDER BY d.uid } AS documents,
       COLLECT { MATCH (p)-[rel]-(c)
                 WHERE NOT c:Person AND NOT c:Location AND NOT c:Source AND type(rel) <> 'SAME_AS'
                   AND c.uid IS NOT NULL
                 RETURN DISTINCT type(rel) + ' ' + c.uid } AS context
