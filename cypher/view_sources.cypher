// Paths of the loaded files behind a view's provenance refs (graphnet view tooltips).
// $uids: source uids ("<sha16>:<definition>").
MATCH (s:Source)
WHERE s.uid IN $uids
RETURN s.uid AS uid, s.path AS path
