// The version of the Neo4j server.
CALL dbms.components() YIELD versions RETURN versions[0] AS v
