// Compensation of a failed load: take one batch's refs back out of its nodes;
// delete a node no ref asserts any more. {label}: a checked label.
UNWIND $rows AS row
MATCH (n:{label} {uid: row.uid})
SET n.src = [x IN coalesce(n.src, []) WHERE NOT x IN row.src]
WITH n WHERE size(n.src) = 0
DETACH DELETE n
