// Nodes (and how many of them are Source nodes) and relationships in the database (after loading a bundle).
MATCH (n) WITH count(n) AS n, count(CASE WHEN n:Source THEN 1 END) AS s
OPTIONAL MATCH ()-[r]->() RETURN n, s, count(r) AS r
