// Evidence relationships among the given nodes, and the non-person things (phones, lodgings,
// vehicles, accounts, documents, places) that tie two of them together, within the time window.
MATCH (a)-[r]-(b)
WHERE elementId(a) IN $ids AND type(r) IN $types AND NOT b:Source
  AND ($since IS NULL OR r.date IS NULL OR left(toString(r.date), 10) >= $since)
  AND ($until IS NULL OR r.date IS NULL OR left(toString(r.date), 10) <= $until)
WITH b, collect(DISTINCT a) AS ends, collect(DISTINCT elementId(r)) AS rels
WHERE elementId(b) IN $ids OR (size(ends) >= 2 AND NOT b:Person)
RETURN elementId(b) AS node, rels
