// Merge one batch of relationships of one type between two labels on
// (type, start uid, end uid, key). A row's refs are appended to `src` once;
// `weight` grows by the weight of each ref that is new, so re-loading a file
// (or finishing an interrupted load) adds nothing twice.
// {start}, {end}: checked labels; {type}: checked type; {props}: generated SET lines.
// $dedupe: as in merge_nodes.cypher.
// $rows: [{s, t, key, src: [ref], w: [float], props: {...}, sums: {prop: [float]}}]
UNWIND $rows AS row
MATCH (a:{start} {uid: row.s})
MATCH (b:{end} {uid: row.t})
MERGE (a)-[r:{type} {key: row.key}]->(b)
WITH r, row, coalesce(r.src, []) AS old
WITH r, row, old, [i IN range(0, size(row.src) - 1) WHERE NOT $dedupe OR NOT row.src[i] IN old] AS new
SET r.src = old + [i IN new | row.src[i]],
    r.weight = coalesce(r.weight, 0.0) + reduce(s = 0.0, i IN new | s + row.w[i])
{props}
RETURN count(r) AS n
