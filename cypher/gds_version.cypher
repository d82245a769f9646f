// The version of the GDS library in the server.
RETURN gds.version() AS version
