// Merge one batch of nodes of one label on uid (the constraint of schema.cypher),
// appending provenance refs to `src` without duplicates.
// {label}: a label checked against the schema, quoted; {props}: SET lines the
// writer generates from checked property names (first value kept; list
// properties are unions; conflicts flagged in `flags`).
// $rows: [{uid, src: [ref], props: {...}, flags: [..]}]
// $dedupe: false on a first load of a file (none of its refs can be in the
// graph yet, and chunks hold disjoint rows), true when resuming or forcing.
UNWIND $rows AS row
MERGE (n:{label} {uid: row.uid})
WITH n, row, coalesce(n.src, []) AS old
SET n.src = CASE WHEN $dedupe THEN old + [x IN row.src WHERE NOT x IN old] ELSE old + row.src END
{props}
RETURN count(n) AS n
