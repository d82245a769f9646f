// Recreate a bundle's nodes of one label; {label} is a schema-checked, backtick-quoted label.
UNWIND $rows AS row
MERGE (n:{label} {uid: row.uid})
SET n = row.props
