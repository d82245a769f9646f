// Every node with its labels and properties (to compare a database with a bundle after a round trip).
MATCH (n) RETURN labels(n) AS labels, properties(n) AS props
