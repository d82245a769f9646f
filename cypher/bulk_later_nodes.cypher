// --bulk: set the node list properties the importer's CSV could not carry (an
// empty list, an element that is empty or holds the array delimiter), right
// after the import, in the transaction that sets them all.
// {label}: a schema-checked, backtick-quoted label. $rows: [{uid, props: {name: list}}]
UNWIND $rows AS row
MATCH (n:{label} {uid: row.uid})
SET n += row.props
RETURN count(n) AS n
