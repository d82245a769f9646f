// Source nodes (loaded files) cited by provenance refs.
MATCH (s:Source) WHERE s.uid IN $uids
RETURN s.uid AS uid, properties(s) AS props
ORDER BY uid
