// How many relationships the database holds.
MATCH ()-[r]->() RETURN count(r) AS n
