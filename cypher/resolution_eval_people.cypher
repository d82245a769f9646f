// Person records with their provenance refs (to find a ground-truth record by file row).
MATCH (p:Person)
RETURN p.uid AS uid, p.name AS name, p.src AS src
