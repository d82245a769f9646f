// Mark a load complete with its row counts.
MATCH (s:Source {uid: $uid})
SET s.status = 'complete', s.rows = $rows, s.rejected = $rejected
