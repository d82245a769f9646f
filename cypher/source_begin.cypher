// Record a load starting: the Source node (ARCHITECTURE.md) with status 'loading'
// until source_complete marks it 'complete'. An interrupted load leaves
// 'loading' behind, and re-running the same load completes it.
MERGE (s:Source {uid: $uid})
ON CREATE SET s.loaded_at = $loaded_at
SET s.name = $name, s.path = $path, s.sha256 = $sha256, s.definition = $definition,
    s.namespace = $namespace, s.status = 'loading'
