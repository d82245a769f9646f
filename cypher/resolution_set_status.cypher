// Change the status of one decision (accept / undo), keeping the old state in its history.
MATCH (a:Person {uid: $a})-[r:SAME_AS]-(b:Person {uid: $b})
SET r.history = coalesce(r.history, []) +
      [coalesce(r.decided_at, '?') + ' ' + coalesce(r.status, '?') + ' by ' + coalesce(r.decided_by, '?')
       + ': ' + coalesce(r.reason, '')],
    r.status = $status, r.decided_at = $decided_at, r.decided_by = $decided_by
RETURN count(r) AS changed
