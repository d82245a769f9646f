// Person records with their provenance refs and identifiers (to find a ground-truth record by file row).
MATCH (p:Person)
OPTIONAL MATCH (p)-[:HOLDS|USES]->(x)
WITH p, collect(x.uid) AS held
RETURN p.uid AS uid, p.name AS name, p.src AS src,
       [v IN [p.nik, p.passport, p.phone] WHERE v IS NOT NULL | toString(v)] + held AS ids
