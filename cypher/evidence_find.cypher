// Entities of one label by uid or, failing that, by exact name; {label} is a schema-checked, quoted label.
MATCH (n:{label})
WHERE n.uid IN $uids OR ($by_name AND n.name IN $uids)
RETURN elementId(n) AS id, n.uid AS uid, n.name AS name
ORDER BY uid
