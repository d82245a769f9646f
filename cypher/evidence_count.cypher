// How many nodes the database holds (a bundle is only loaded into an empty database).
MATCH (n) RETURN count(n) AS n
