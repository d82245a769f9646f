"""Hardening (e): a loader definition naming a label or type outside the schema is refused.

Nothing is written: the definition is checked before the first query.
"""

from __future__ import annotations

import pytest

from graphnet.errors import DefinitionError, GraphnetError
from graphnet.loading import load_file, read_definition

pytestmark = pytest.mark.neo4j

GOOD = """name: bad_def
description: test
namespace: t
columns: [a, b]
nodes:
  a: {label: Person, key: [a], properties: {name: a}}
  b: {label: Person, key: [b], properties: {name: b}}
relationships:
  - {type: KNOWS, from: a, to: b}
"""


@pytest.mark.parametrize(
    "old,new,what",
    [
        ("label: Person, key: [a]", "label: Wizard, key: [a]", "Wizard"),
        ("label: Person, key: [b]", "label: 'Person`) DETACH DELETE n //', key: [b]", "DETACH DELETE"),
        ("type: KNOWS", "type: LOVES", "LOVES"),
        ("type: KNOWS", "type: 'KNOWS]->() MATCH (n) DETACH DELETE n //'", "DETACH DELETE"),
    ],
)
def test_outside_schema_is_refused_before_any_write(db, tmp_path, old, new, what):
    text = GOOD.replace(old, new)
    assert text != GOOD
    path = tmp_path / "bad_def.yaml"
    path.write_text(text)
    data = tmp_path / "d.csv"
    data.write_text("a,b\nx,y\n")
    db.write("CREATE (:Person {uid: 'keep:1', name: 'keep'})")
    with pytest.raises(GraphnetError) as info:
        load_file(db, str(path), data)
    assert isinstance(info.value, DefinitionError), info.value
    assert "bad_def.yaml" in str(info.value) and "line" in str(info.value), str(info.value)
    assert what.split()[0] in str(info.value) or "schema" in str(info.value).lower()
    assert db.read("MATCH (n) RETURN count(n) AS n")[0]["n"] == 1


def test_good_definition_is_accepted(tmp_path):
    path = tmp_path / "bad_def.yaml"
    path.write_text(GOOD)
    d = read_definition(str(path))
    assert d.name == "bad_def"


def test_every_shipped_definition_uses_schema_names_only():
    from graphnet.loading import list_definitions
    from graphnet.schema import load_schema

    schema = load_schema()
    for name, _ in list_definitions():
        d = read_definition(name)
        for spec in d.nodes.values():
            for label in spec.label.values() if hasattr(spec.label, "values") else [spec.label.fixed]:
                assert label in schema.labels, (name, label)
        for rel in d.relationships:
            for t in rel.types():
                assert t in schema.relationship_types, (name, t)
