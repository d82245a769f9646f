// Compensation of a failed load: take one batch's refs back out of its
// relationships (with their weight and summed properties); delete a
// relationship no ref asserts any more.
// Same placeholders and rows as merge_relationships.cypher ({props}: generated
// subtractions of summed properties such as PAID.amount).
UNWIND $rows AS row
MATCH (a:{start} {uid: row.s})-[r:{type} {key: row.key}]->(b:{end} {uid: row.t})
WITH r, row, [i IN range(0, size(row.src) - 1) WHERE row.src[i] IN coalesce(r.src, [])] AS gone
SET r.weight = r.weight - reduce(s = 0.0, i IN gone | s + row.w[i])
{props}
SET r.src = [x IN coalesce(r.src, []) WHERE NOT x IN row.src]
WITH r WHERE size(r.src) = 0
DELETE r
