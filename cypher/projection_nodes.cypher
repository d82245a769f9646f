// Entity nodes (every label but Source) for a projection; $keep: uids or null for all.
MATCH (n)
WHERE NOT n:Source AND n.uid IS NOT NULL
  AND ($keep IS NULL OR n.uid IN $keep)
RETURN n.uid AS uid, [l IN labels(n) WHERE l IN $labels][0] AS label, properties(n) AS props
