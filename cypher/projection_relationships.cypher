// Evidence relationships for a projection, filtered by window, sources and a keep set.
// $types: evidence relationship types (never SAME_AS / HYPOTHESIS unless asked).
// $since / $until: ISO dates or null; undated relationships are kept.
// $sources: source uids or null; a relationship is kept when one of its refs comes from one.
// $keep: entity uids or null; both ends must be in it.
MATCH (a)-[r]->(b)
WHERE type(r) IN $types
  AND NOT a:Source AND NOT b:Source
  AND ($keep IS NULL OR (a.uid IN $keep AND b.uid IN $keep))
  AND ($since IS NULL OR r.date IS NULL OR toString(r.date) >= $since)
  AND ($until IS NULL OR r.date IS NULL OR toString(r.date) <= $until)
  AND ($sources IS NULL OR any(ref IN coalesce(r.src, []) WHERE any(s IN $sources WHERE ref STARTS WITH s + ':')))
RETURN a.uid AS a, b.uid AS b, type(r) AS type, properties(r) AS props
