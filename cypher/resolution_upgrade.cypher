// Proposed decisions that new evidence makes certain: applied, the proposal kept in the history.
UNWIND $rows AS row
MATCH (a:Person {uid: row.a})-[r:SAME_AS]-(b:Person {uid: row.b})
WHERE r.status = 'proposed'
SET r.history = coalesce(r.history, []) +
      [coalesce(r.decided_at, '?') + ' proposed by ' + coalesce(r.decided_by, '?') + ': ' + coalesce(r.reason, '')],
    r.status = 'applied', r.reason = row.reason, r.score = row.score,
    r.decided_at = $decided_at, r.decided_by = $decided_by
RETURN count(r) AS written
