// The Source node of a file + definition, if it was loaded before.
MATCH (s:Source {uid: $uid})
RETURN s.status AS status, s.rows AS rows, s.rejected AS rejected, s.loaded_at AS loaded_at
