// Every relationship with its type, endpoint uids and properties (round-trip comparison).
MATCH (a)-[r]->(b) RETURN type(r) AS type, a.uid AS start, b.uid AS end, properties(r) AS props
