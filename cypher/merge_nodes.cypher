// Merge one batch of nodes of one label on uid (the constraint of schema.cypher),
// appending provenance refs to `src` without duplicates.
// {label}: a label checked against the schema, quoted; {set}: the items of one
// SET clause the writer generates from checked property names: first `flags`
// (conflicts of identifying properties with the stored value), then `src`, then
// the properties (first value kept; list properties are unions).
// One SET clause, every item reading the node's stored values before they
// change: a WITH between MERGE and SET would make the planner add Eager
// operators that hold the whole batch in memory (measured 2x slower).
// $rows: [{uid, src: [ref], props: {...}, flags: [..]}]
// $dedupe: false on a first load of a file (none of its refs can be in the
// graph yet, and chunks hold disjoint rows), true when resuming or forcing.
UNWIND $rows AS row
MERGE (n:{label} {uid: row.uid})
SET {set}
RETURN count(n) AS n
