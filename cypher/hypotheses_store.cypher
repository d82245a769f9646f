// Store hidden-tie hypotheses as HYPOTHESIS ties between people (key = method; a re-run updates the score).
// {label}: Person, {type}: HYPOTHESIS (checked against the schema, quoted); $rows: [{a, b, method, score, via}].
UNWIND $rows AS r MATCH (a:{label} {uid: r.a}), (b:{label} {uid: r.b})
MERGE (a)-[h:{type} {key: r.method}]->(b)
SET h.method = r.method, h.score = r.score, h.via = r.via, h.src = []
