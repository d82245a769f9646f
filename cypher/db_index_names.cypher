// The names of every index in the database (a uniqueness constraint's own
// index carries the constraint's name): which parts of the schema exist.
SHOW INDEXES YIELD name
RETURN name
