// Resolve what a user typed for --source (a source uid, its definition name, path or SHA-256 prefix).
UNWIND $names AS name
OPTIONAL MATCH (s:Source)
WHERE s.uid = name OR s.definition = name OR s.path = name OR s.sha256 STARTS WITH toLower(name)
RETURN name, collect(DISTINCT s.uid) AS uids
