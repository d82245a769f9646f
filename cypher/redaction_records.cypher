// Every record redaction decides on: people (roles), the phones, documents and accounts they may hold, with their properties.
MATCH (n) WHERE n:Person OR n:Phone OR n:Document OR n:Account
RETURN n.uid AS uid, CASE WHEN n:Person THEN 'Person' WHEN n:Phone THEN 'Phone' WHEN n:Document THEN 'Document'
       ELSE 'Account' END AS label, properties(n) AS props
