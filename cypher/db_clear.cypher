// Delete every node and its relationships, $batch nodes per transaction (needs an auto-commit transaction).
MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF $batch ROWS
