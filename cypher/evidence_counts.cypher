// Nodes and relationships in the database (after loading a bundle).
MATCH (n) WITH count(n) AS n OPTIONAL MATCH ()-[r]->() RETURN n, count(r) AS r
