// Entity nodes (every label but Source) for a projection; $keep: uids or null for all.
// $props_of: labels whose properties are returned (null: every node's); the others come with uid and label only.
MATCH (n)
WHERE NOT n:Source AND n.uid IS NOT NULL
  AND ($keep IS NULL OR n.uid IN $keep)
RETURN n.uid AS uid, [l IN labels(n) WHERE l IN $labels][0] AS label,
       CASE WHEN $props_of IS NULL OR any(l IN labels(n) WHERE l IN $props_of) THEN properties(n) END AS props
