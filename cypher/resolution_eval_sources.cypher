// Loaded files (to find a ground-truth file's Source by definition and SHA-256).
MATCH (s:Source)
RETURN s.uid AS uid, s.definition AS definition, s.sha256 AS sha256
