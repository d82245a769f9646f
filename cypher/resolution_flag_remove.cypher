// Remove a flag from person records (their conflict is gone, e.g. after an undo).
UNWIND $uids AS uid
MATCH (p:Person {uid: uid})
WHERE $flag IN coalesce(p.flags, [])
SET p.flags = [f IN p.flags WHERE f <> $flag]
RETURN count(p) AS unflagged
