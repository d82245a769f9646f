// All shortest paths (up to {max_length} evidence relationships) between two sets of nodes.
MATCH (a) WHERE elementId(a) IN $from
MATCH (b) WHERE elementId(b) IN $to AND a <> b
MATCH p = allShortestPaths((a)-[rels*..{max_length}]-(b))
WHERE all(r IN rels WHERE type(r) IN $types
          AND ($since IS NULL OR r.date IS NULL OR left(toString(r.date), 10) >= $since)
          AND ($until IS NULL OR r.date IS NULL OR left(toString(r.date), 10) <= $until))
  AND all(n IN nodes(p) WHERE NOT n:Source)
WITH p, rels, [n IN nodes(p) | n.uid] AS uids, [r IN rels | type(r) + '|' + coalesce(r.key, '')] AS sig
ORDER BY size(rels), uids, sig
RETURN [n IN nodes(p) | elementId(n)] AS nodes, [r IN rels | elementId(r)] AS rels
LIMIT $limit
