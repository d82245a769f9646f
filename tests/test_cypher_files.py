"""Cypher lives in named, parameterised files in cypher/ (STYLE.md 3); data files assert evidence only.

No database for the Cypher checks: the package sources are parsed with
:mod:`ast` and every string that looks like a query is reported unless it is
loaded with ``cypher("name")`` or allow-listed below with its reason.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from graphnet.resources import cypher, cypher_names

PACKAGE = Path(__file__).resolve().parents[1] / "graphnet"

# Methods that run Cypher: Database.read/write/stream, neo4j Session/Transaction.run,
# Driver.execute_query.
QUERY_METHODS = {"run", "read", "write", "stream", "execute_query"}

# A Cypher clause keyword anywhere in a string passed as a query.
KEYWORD = re.compile(r"\b(MATCH|MERGE|CREATE|DETACH|DELETE|RETURN|UNWIND|CALL|YIELD|SHOW|DROP|SET|REMOVE|FOREACH)\b")

# A string shaped like a query wherever it is: it starts with a clause, or a
# clause is followed by a pattern or a procedure name.
QUERY_SHAPE = re.compile(
    r"^\s*(OPTIONAL\s+MATCH|MATCH|MERGE|CREATE|UNWIND|CALL|RETURN|SHOW|DROP|DETACH\s+DELETE)\s+\S"
    r"|\b(OPTIONAL\s+MATCH|MATCH|MERGE|CREATE)\s*\("
    r"|\bCALL\s+[a-z]+\.[A-Za-z_.]+\s*\("
    r"|\bDETACH\s+DELETE\b|\bUNWIND\s+\$"
)

# Cypher text that must stay in Python, by (file, function) or (file, "*") for a whole
# file, each with its reason.
ALLOWED = {
    # Builds the text of cypher/schema.cypher from graphnet/schema.yaml (`graphnet schema
    # cypher`); a test keeps the file equal to it. Not a query graphnet runs.
    ("schema.py", "schema_cypher"),
    # Writes an evidence bundle's stand-alone subgraph.cypher (data as escaped literals, for
    # cypher-shell): an exported artefact, not a query graphnet runs with parameters.
    ("evidence/formats.py", "*"),
    # Reads that exported script back, recognising its statements by their prefixes
    # (CREATE CONSTRAINT / UNWIND); the statements come from the bundle file.
    ("evidence/roundtrip.py", "*"),
}


def _allowed(path: str, function: str) -> bool:
    return (path, function) in ALLOWED or (path, "*") in ALLOWED


# Named queries that are loaded by a name held in a variable, not by cypher("literal").
INDIRECT = {
    "evidence_case": "a --query NAME of `graphnet evidence export` (README), loaded by evidence.select",
    "evidence_record": "a --query NAME of `graphnet evidence export`, loaded by evidence.select",
    "evidence_shortest": "passed by name to the evidence selector's paths(name, ...)",
    "evidence_paths": "passed by name to the evidence selector's paths(name, ...)",
}


def _text(node: ast.AST) -> str | None:
    """The text of a string literal or f-string (formatted parts as {})."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    return None


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and _text(body[0].value) is not None:
                out.add(id(body[0].value))
    return out


def _is_cypher_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    f = node.func
    return (isinstance(f, ast.Name) and f.id == "cypher") or (isinstance(f, ast.Attribute) and f.attr == "cypher")


def _strings(expr: ast.AST) -> list[str]:
    """Every string literal in an expression (an f-string counts once, as a whole)."""
    out = []
    stack = [expr]
    while stack:
        node = stack.pop()
        text = _text(node)
        if text is not None:
            out.append(text)
            continue
        stack.extend(ast.iter_child_nodes(node))
    return out


def inline_cypher(source: str, path: str = "<string>") -> list[tuple[str, str, int, str]]:
    """``(path, function, line, text)`` of every string in ``source`` that is inline Cypher."""
    tree = ast.parse(source)
    docs = _docstrings(tree)
    found: list[tuple[str, str, int, str]] = []

    def visit(node: ast.AST, scope: str, scope_node: ast.AST) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            scope, scope_node = node.name, node  # innermost named scope (qualnames would tie the list to classes)
        text = _text(node)
        if text is not None and id(node) not in docs and QUERY_SHAPE.search(text):
            found.append((path, scope, node.lineno, text))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in QUERY_METHODS:
            query = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "query"), None)
            exprs = [query] if query is not None else []
            if isinstance(query, ast.Name):  # a query built first and run by name: what was assigned to it
                exprs += [a.value for a in ast.walk(scope_node) if isinstance(a, (ast.Assign, ast.AnnAssign))
                          and a.value is not None
                          and any(isinstance(t, ast.Name) and t.id == query.id
                                  for t in (a.targets if isinstance(a, ast.Assign) else [a.target]))]
            for expr in exprs:
                found.extend((path, scope, node.lineno, s) for s in _strings(expr) if KEYWORD.search(s))
        if isinstance(node, ast.JoinedStr):
            return  # its parts were read as one text
        for child in ast.iter_child_nodes(node):
            visit(child, scope, scope_node)

    visit(tree, "<module>", tree)
    return list(dict.fromkeys(found))


def _sources() -> list[tuple[str, str]]:
    return [(p.relative_to(PACKAGE).as_posix(), p.read_text(encoding="utf-8")) for p in sorted(PACKAGE.rglob("*.py"))]


def test_the_scanner_finds_inline_cypher_in_all_its_shapes():
    caught = inline_cypher('''
def store(db, rows, person, rel):
    db.write(
        f"UNWIND $rows AS r MATCH (a:{person} {{uid: r.a}}), (b:{person} {{uid: r.b}}) "
        f"MERGE (a)-[h:{rel} {{key: r.method}}]->(b) "
        "SET h.method = r.method",
        rows=rows,
    )
def clear(db, batch):
    query = f"MATCH (n) CALL (n) {{ DETACH DELETE n }} IN TRANSACTIONS OF {int(batch)} ROWS"
    with db.session() as s:
        s.run(query).consume()
def count(db):
    return db.read("MATCH (n) RETURN count(n) AS n")[0]["n"]
def wait(db):
    db.write("CALL db.awaitIndexes(300)")
def version(database):
    return database.read(query="CALL dbms.components() YIELD versions RETURN versions[0] AS v")
def elsewhere():
    return "MATCH ()-[r]->() RETURN count(r) AS n"
''')
    assert {f for _, f, _, _ in caught} == {"store", "clear", "count", "wait", "version", "elsewhere"}
    clean = inline_cypher('''
"""A docstring may say MATCH (n) RETURN n."""
def store(db, rows, person):
    """Runs UNWIND $rows AS r MERGE (n) -- documentation, not a query."""
    db.write(cypher("hypotheses_store").replace("{label}", person), rows=rows)
    q = cypher("gds_stream").replace("{procedure}", "gds.pageRank.stream")
    subprocess.run(["java", "-version"])
    print("Delete all data? The MATCH is by uid.")
    return db.read(q, graph="g")
''')
    assert clean == []


def test_no_inline_cypher_in_the_package():
    found = [hit for path, source in _sources() for hit in inline_cypher(source, path)]
    unexpected = [f"{p}:{line} in {fn}(): {text.strip()[:80]!r}" for p, fn, line, text in found if not _allowed(p, fn)]
    assert not unexpected, "Cypher written inline; move it to cypher/NAME.cypher and load it with cypher('NAME'):\n" + "\n".join(unexpected)
    # the allow-list stays exact: every entry names a file, and a function entry still holds inline Cypher
    stale = {(p, fn) for p, fn in ALLOWED if not (PACKAGE / p).is_file()}
    stale |= {(p, fn) for p, fn in ALLOWED if fn != "*"} - {(p, fn) for p, fn, _, _ in found}
    assert not stale, f"allow-listed but no longer holding inline Cypher: {sorted(stale)}"


def _loaded_names() -> dict[str, list[str]]:
    """Names passed as literals to cypher(...), with where."""
    out: dict[str, list[str]] = {}
    for path, source in _sources():
        for node in ast.walk(ast.parse(source)):
            if _is_cypher_call(node) and node.args and isinstance(node.args[0], ast.Constant):
                out.setdefault(node.args[0].value, []).append(f"{path}:{node.lineno}")
    return out


def test_every_cypher_file_is_loaded_by_name_and_every_name_is_a_file():
    names = set(cypher_names())
    loaded = _loaded_names()
    unused = names - set(loaded) - set(INDIRECT)
    assert not unused, f"cypher/ files no cypher('...') call loads: {sorted(unused)}"
    missing = {n: where for n, where in loaded.items() if n not in names}
    assert not missing, f"cypher('...') names with no file in cypher/: {missing}"
    assert set(INDIRECT) <= names, f"INDIRECT names no file: {sorted(set(INDIRECT) - names)}"
    assert not set(INDIRECT) & set(loaded), f"now loaded by literal, drop from INDIRECT: {sorted(set(INDIRECT) & set(loaded))}"


@pytest.mark.parametrize("name", cypher_names())
def test_every_cypher_file_opens_with_a_comment_saying_what_it_does(name):
    first = cypher(name).splitlines()[0]
    assert first.startswith("// ") and len(first) > 10, f"cypher/{name}.cypher: first line {first!r}"
