// Add a flag to person records that lack it.
UNWIND $uids AS uid
MATCH (p:Person {uid: uid})
WHERE NOT $flag IN coalesce(p.flags, [])
SET p.flags = coalesce(p.flags, []) + [$flag]
RETURN count(p) AS flagged
