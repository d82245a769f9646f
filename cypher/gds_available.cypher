// The GDS library version when the procedures are installed.
SHOW FUNCTIONS YIELD name WHERE name = 'gds.version'
RETURN count(*) > 0 AS available
