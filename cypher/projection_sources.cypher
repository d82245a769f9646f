// Resolve what a user typed for --source (a source uid, its definition name, path or SHA-256 prefix).
// entry.path: the typed text as an absolute path (sources record the absolute path of the loaded file).
UNWIND $entries AS entry
OPTIONAL MATCH (s:Source)
WHERE s.uid = entry.name OR s.definition = entry.name OR s.path IN [entry.name, entry.path]
   OR s.sha256 STARTS WITH toLower(entry.name)
RETURN entry.name AS name, collect(DISTINCT s.uid) AS uids
