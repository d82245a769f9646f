// Full relationships by element id, with their endpoints.
MATCH (a)-[r]->(b) WHERE elementId(r) IN $ids
RETURN elementId(r) AS id, type(r) AS type, elementId(a) AS start, elementId(b) AS end, properties(r) AS props
