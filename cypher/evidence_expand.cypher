// One hop out of the given nodes along evidence relationships within the time window.
// $ids: element ids of the frontier; $types: evidence relationship types (never SAME_AS/HYPOTHESIS);
// $since/$until: ISO dates (inclusive) or null; undated relationships are kept.
MATCH (a) WHERE elementId(a) IN $ids
MATCH (a)-[r]-(b)
WHERE type(r) IN $types AND NOT b:Source
  AND ($since IS NULL OR r.date IS NULL OR left(toString(r.date), 10) >= $since)
  AND ($until IS NULL OR r.date IS NULL OR left(toString(r.date), 10) <= $until)
RETURN DISTINCT elementId(r) AS rel, elementId(b) AS node
