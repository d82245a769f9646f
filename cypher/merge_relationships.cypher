// Merge one batch of relationships of one type between two labels on
// (type, start uid, end uid, key). A row's refs are appended to `src` once;
// `weight` grows by the weight of each ref that is new, so re-loading a file
// (or finishing an interrupted load) adds nothing twice.
// {start}, {end}: checked labels; {type}: checked type; {set}: the items of
// one SET clause the writer generates: `weight` and summed properties first
// (they read the stored `src`), then `src`, then the other properties. One
// clause and no WITH, so the plan holds no Eager operator (see merge_nodes).
// $dedupe: as in merge_nodes.cypher.
// $rows: [{s, t, key, src: [ref], w: [float], props: {...}, sums: {prop: [float]}}]
UNWIND $rows AS row
MATCH (a:{start} {uid: row.s})
MATCH (b:{end} {uid: row.t})
MERGE (a)-[r:{type} {key: row.key}]->(b)
SET {set}
RETURN count(r) AS n
