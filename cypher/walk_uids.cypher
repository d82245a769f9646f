// The uids of the records $ids (element ids) a walk reached (graphnet/db/walk.py).
MATCH (n) WHERE elementId(n) IN $ids AND NOT n:Source AND n.uid IS NOT NULL
RETURN n.uid AS uid
