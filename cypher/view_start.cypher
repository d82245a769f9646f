// The record $uid (any label but Source), as an element id: where `graphnet view --around <uid>`
// and `--path` start walking in the database (graphnet/db/walk.py adds the records merged with it).
MATCH (n)
WHERE n.uid = $uid AND NOT n:Source
RETURN elementId(n) AS id
