// The Source node of a file + definition, if it was loaded before (a map: no
// warning about properties that a new database does not have yet).
MATCH (s:Source {uid: $uid})
RETURN s {.*} AS source
