// Compensation of a failed load: take one batch's refs back out of its
// relationships (with their weight and summed properties); delete a
// relationship no ref asserts any more.
// Same placeholders and rows as merge_relationships.cypher ({props}: generated
// subtractions of summed properties such as PAID.amount).
// Both ends are found first, then the relationship between them (Expand
// Into, from the end with fewer relationships): matched as one pattern,
// Neo4j sometimes expanded every row from its end node, and a hub phone's
// thousands of calls made 10,000 rows take 65 s instead of 0.4 s.
UNWIND $rows AS row
MATCH (a:{start} {uid: row.s})
MATCH (b:{end} {uid: row.t})
CALL (a, b, row) {
  MATCH (a)-[r:{type} {key: row.key}]->(b)
  RETURN r
}
WITH r, row, [i IN range(0, size(row.src) - 1) WHERE row.src[i] IN coalesce(r.src, [])] AS gone
SET r.weight = r.weight - reduce(s = 0.0, i IN gone | s + row.w[i])
{props}
SET r.src = [x IN coalesce(r.src, []) WHERE NOT x IN row.src]
WITH r WHERE size(r.src) = 0
DELETE r
