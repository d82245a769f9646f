// Seeds of a case/province filter and everything one relationship away from the seeds' people.
// $cases: case uids, numbers or names (or null); $province: a province name (or null).
// Seeds = the matching cases, the people in them, and people whose own province matches.
// Returned uids = seeds + their direct neighbours (through evidence relationships $types).
CALL (){
  MATCH (c:Case)
  WHERE ($cases IS NOT NULL AND (c.uid IN $cases OR c.number IN $cases OR c.name IN $cases))
     OR ($province IS NOT NULL AND toLower(c.province) = toLower($province))
  OPTIONAL MATCH (p:Person)-[r]->(c) WHERE type(r) IN ['INVOLVED_IN', 'CONVICTED_IN']
  RETURN collect(DISTINCT c) + collect(DISTINCT p) AS found
  UNION ALL
  MATCH (p:Person)
  WHERE $province IS NOT NULL AND toLower(p.province) = toLower($province)
  RETURN collect(p) AS found
}
WITH collect(found) AS lists
WITH reduce(acc = [], l IN lists | acc + l) AS seeds
UNWIND seeds AS s
OPTIONAL MATCH (s)-[r]-(m)
WHERE s:Person AND type(r) IN $types AND NOT m:Source
WITH collect(DISTINCT s.uid) AS seed_uids, collect(DISTINCT m.uid) AS near
RETURN seed_uids, [u IN near WHERE u IS NOT NULL] AS near
