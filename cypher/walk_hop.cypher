// One hop of a walk (graphnet/db/walk.py): the ties of $types out of the nodes $ids (element ids), in
// either direction, and the nodes at their other end. $types: evidence relationship types (views that
// show hypotheses add HYPOTHESIS; never SAME_AS); $since/$until: ISO dates (inclusive) or null, undated
// relationships are always followed; $rels: false when only the nodes are wanted (one row per node).
MATCH (a) WHERE elementId(a) IN $ids
MATCH (a)-[r]-(b)
WHERE type(r) IN $types AND NOT b:Source
  AND ($since IS NULL OR r.date IS NULL OR left(toString(r.date), 10) >= $since)
  AND ($until IS NULL OR r.date IS NULL OR left(toString(r.date), 10) <= $until)
RETURN DISTINCT CASE WHEN $rels THEN elementId(r) END AS rel, elementId(b) AS node
