// Recreate a bundle's relationships of one type between two labels (all three schema-checked and quoted).
UNWIND $rows AS row
MATCH (a:{start} {uid: row.start})
MATCH (b:{end} {uid: row.end})
MERGE (a)-[r:{type} {key: row.props.key}]->(b)
SET r = row.props
