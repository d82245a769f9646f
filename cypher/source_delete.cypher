// Remove the Source node of a load that was taken back.
MATCH (s:Source {uid: $uid}) DELETE s
