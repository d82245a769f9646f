"""Every `graphnet report` command runs on the real Neo4j, in every format, and states its graph."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from graphnet.cli import main

from test_analytics_projections import P, scenario

REPORTS = [
    ["centrality"],
    ["brokers"],
    ["communities", "--runs", "3"],
    ["syndicates"],
    ["behind", "Name P2"],
    ["disruption", "--top", "3"],
    ["hypotheses"],
]


@pytest.mark.neo4j
def test_every_report_every_format(db, cli_env, tmp_path):
    scenario(db)
    runner = CliRunner()
    for args in REPORTS:
        for fmt in ("table", "csv", "json", "markdown", "html"):
            r = runner.invoke(main, ["report", *args, "--format", fmt], env=cli_env)
            assert r.exit_code == 0, (args, fmt, r.output)
            assert r.output.strip(), (args, fmt)
            if fmt == "json":
                data = json.loads(r.output)
                assert data["report"] == args[0]
                assert data["graph"]["nodes"] > 0 and "edges" in data["graph"] and data["graph"]["projection"]
            if fmt == "html":
                assert "<script" not in r.output and "<th>" in r.output
    # the disruption curves as CSV + PNG
    png, csv_out = tmp_path / "d.png", tmp_path / "d.csv"
    r = runner.invoke(main, ["report", "disruption", "--strategy", "keyplayer", "--top", "2", "--plot", str(png),
                             "--format", "csv", "-o", str(csv_out)], env=cli_env)
    assert r.exit_code == 0, r.output
    assert png.read_bytes()[:4] == b"\x89PNG"
    lines = [ln for ln in csv_out.read_text().splitlines() if not ln.startswith("#")]
    assert lines[0] == "strategy,step,removed,name,largest,reachability" and len(lines) == 4


@pytest.mark.neo4j
def test_html_escapes_names_from_spreadsheets(db, cli_env):
    from analytics_data import write_graph

    write_graph(db, [("Person", P + "E", {"name": "<img src=x onerror=alert(1)>"}), ("Person", P + "F2", {})],
                [("KNOWS", P + "E", P + "F2", {})])
    r = CliRunner().invoke(main, ["report", "centrality", "--format", "html"], env=cli_env)
    assert r.exit_code == 0
    assert "<img" not in r.output and "&lt;img src=x onerror=alert(1)&gt;" in r.output
    md = CliRunner().invoke(main, ["report", "centrality", "--format", "markdown"], env=cli_env).output
    assert "<img" not in md


@pytest.mark.neo4j
def test_window_case_and_brokers_roles(db, cli_env):
    scenario(db)
    r = CliRunner().invoke(main, ["report", "centrality", "--since", "2021-01-01", "--format", "json"], env=cli_env)
    data = json.loads(r.output)
    assert data["graph"]["since"] == "2021-01-01"
    r = CliRunner().invoke(main, ["report", "brokers", "--format", "json"], env=cli_env)
    assert json.loads(r.output)["graph"]["groups"] == "first role"  # nobody has a stage: the default falls back
    r = CliRunner().invoke(main, ["report", "brokers", "--group", "nothing"], env=cli_env)
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert r.output.startswith("Error: no person has the attribute 'nothing' for --group; attributes people have: ")
    assert "nik" not in r.output  # P1 has a NIK: identifiers are never offered as groups
    r = CliRunner().invoke(main, ["report", "centrality", "--since", "yesterday"], env=cli_env)
    assert r.exit_code == 1 and r.output.strip() == "Error: --since 'yesterday' is not a date (use YYYY-MM-DD)"


@pytest.mark.neo4j
def test_redact_hides_victims_in_every_report(db, cli_env):
    scenario(db)
    env = {**cli_env, "GRAPHNET_REDACT_KEY": "case-key"}
    from graphnet.redact import Redactor

    pseudo = Redactor("case-key").pseudonym(P + "V1")
    for args in (["centrality", "--top", "10"], ["syndicates", "--paths", "5"], ["behind", "Name P1"]):
        r = CliRunner().invoke(main, ["report", *args, "--redact", "--format", "json"], env=env)
        assert r.exit_code == 0, r.output
        assert "Name V1" not in r.output and "Name V2" not in r.output, args
        assert json.loads(r.output)["graph"]["redacted"] is True
    r = CliRunner().invoke(main, ["report", "centrality", "--top", "10", "--redact", "--format", "json"], env=env)
    assert pseudo in r.output
    r = CliRunner().invoke(main, ["report", "centrality", "--redact"], env=cli_env)
    assert r.exit_code == 1 and "GRAPHNET_REDACT_KEY" in r.output


@pytest.mark.neo4j
def test_centrality_on_every_projection(db, cli_env):
    scenario(db)
    for projection, nodes in (("full", 14), ("cases", 2), ("layer:phone", 3), ("persons", 7)):
        r = CliRunner().invoke(main, ["report", "centrality", "--projection", projection, "--format", "json"], env=cli_env)
        assert r.exit_code == 0, (projection, r.output)
        data = json.loads(r.output)
        assert data["graph"]["projection"] == projection and data["graph"]["nodes"] == nodes
        assert len(data["rows"]) == nodes
    r = CliRunner().invoke(main, ["report", "centrality", "--projection", "layer:nope"], env=cli_env)
    assert r.exit_code == 1 and "unknown layer 'nope'" in r.output


def test_hypotheses_offers_no_projection():
    """hypotheses always run on the full graph: --help shows no --projection and the option is refused."""
    runner = CliRunner()
    r = runner.invoke(main, ["report", "hypotheses", "--help"])
    assert r.exit_code == 0 and "full graph" in r.output
    assert not re.search(r"^ +--projection", r.output, re.M), r.output  # no such option listed
    for projection in ("full", "persons"):
        r = runner.invoke(main, ["report", "hypotheses", "--projection", projection])
        assert r.exit_code == 2 and "No such option '--projection'" in r.output
    assert re.search(r"^ +--projection", runner.invoke(main, ["report", "centrality", "--help"]).output, re.M)


def test_report_redact_without_a_key_names_options_that_exist():
    """The missing-key message names --redact-key, and every report has that option (as view and evidence do)."""
    runner = CliRunner()
    r = runner.invoke(main, ["report", "centrality", "--redact"], env={"GRAPHNET_REDACT_KEY": ""})
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert r.output.startswith("Error: redaction needs a key: set GRAPHNET_REDACT_KEY or pass --redact-key")
    for name in ("centrality", "brokers", "syndicates", "behind", "communities", "disruption", "hypotheses"):
        assert "--redact-key KEY" in runner.invoke(main, ["report", name, "--help"]).output, name


@pytest.mark.neo4j
def test_redact_key_option_of_reports(db, cli_env):
    scenario(db)
    env = {**cli_env, "GRAPHNET_REDACT_KEY": ""}
    from graphnet.redact import Redactor

    r = CliRunner().invoke(main, ["report", "centrality", "--top", "10", "--redact", "--redact-key", "case-key",
                                  "--format", "json"], env=env)
    assert r.exit_code == 0, r.output
    assert Redactor("case-key").pseudonym(P + "V1") in r.output and "Name V1" not in r.output
    # the option wins over the environment, as in `graphnet view` and `graphnet evidence export`
    r2 = CliRunner().invoke(main, ["report", "centrality", "--top", "10", "--redact", "--redact-key", "case-key",
                                   "--format", "json"], env={**cli_env, "GRAPHNET_REDACT_KEY": "other"})
    assert Redactor("case-key").pseudonym(P + "V1") in r2.output


def test_report_file_goes_into_new_folders_and_a_bad_path_is_one_line(tmp_path):
    """-o creates the folders it names; a path through a file is a GraphnetError naming it (no trace)."""
    from graphnet.errors import GraphnetError
    from graphnet.reporting import Report, write

    report = Report("centrality", "Centrality", {}, [], ["rank", "name"], [{"rank": 1, "name": "Siti"}])
    out = tmp_path / "new" / "deeper" / "r.csv"
    assert write(report, "csv", str(out)) is None
    assert out.read_text(encoding="utf-8").splitlines()[-2:] == ["rank,name", "1,Siti"]
    (tmp_path / "plain").write_text("x")
    with pytest.raises(GraphnetError, match=r"cannot write .*plain/r\.csv"):
        write(report, "csv", str(tmp_path / "plain" / "r.csv"))


@pytest.mark.neo4j
def test_an_empty_selection_says_so(db, cli_env, tmp_path):
    """A filter that leaves nothing gives a report that says so first, not an empty table alone."""
    scenario(db)
    runner = CliRunner()
    r = runner.invoke(main, ["report", "centrality", "--format", "json"], env=cli_env)
    assert r.exit_code == 0 and not any(n.startswith("EMPTY") for n in json.loads(r.output)["notes"])
    empty = ["--since", "2000-01-01", "--until", "2000-01-02", "--projection", "layer:money"]
    for args in (["centrality"], ["communities", "--runs", "2"], ["brokers"]):
        r = runner.invoke(main, ["report", *args, *empty, "--format", "json"], env=cli_env)
        assert r.exit_code == 0, r.output
        notes = json.loads(r.output)["notes"]
        assert notes[0].startswith("EMPTY SELECTION: the graph this report ran on has no "), notes
    r = runner.invoke(main, ["report", "centrality", "--case", "no such case"], env=cli_env)
    assert r.exit_code == 1 and r.output.strip() == "Error: no case 'no such case' in the graph"
    out = tmp_path / "r.md"
    r = runner.invoke(main, ["report", "centrality", *empty, "--format", "markdown", "-o", str(out)], env=cli_env)
    assert r.exit_code == 0, r.output
    assert "EMPTY SELECTION" in r.output and "EMPTY SELECTION" in out.read_text()


@pytest.mark.neo4j
def test_table_prints_names_as_written_and_escapes_terminal_controls(db, cli_env, tmp_path):
    """Cells are data, not rich markup; an escape sequence in a name is shown, never run by the terminal."""
    from analytics_data import write_graph

    names = ["Budi [/]", "[red]Siti", ":cat: [link=x]A", "Dewi\x1b]0;t\x07\u202eS"]
    write_graph(db, [("Person", P + f"H{i}", {"name": n}) for i, n in enumerate(names)] + [("Person", P + "HX", {})],
                [("KNOWS", P + f"H{i}", P + "HX", {}) for i in range(len(names))])
    r = CliRunner().invoke(main, ["report", "centrality", "--top", "10"], env=cli_env)
    assert r.exit_code == 0, r.output
    for shown in ("Budi [/]", "[red]Siti", ":cat: [link=x]A", "Dewi\\x1b]0;t\\x07\\u202eS"):
        assert shown in r.output, (shown, r.output)
    assert "\x1b" not in r.output and "\u202e" not in r.output
    # the data themselves are unchanged in the formats meant for programs
    data = json.loads(CliRunner().invoke(main, ["report", "centrality", "--format", "json"], env=cli_env).output)
    assert set(names) <= {row["name"] for row in data["rows"]}


@pytest.mark.neo4j
def test_view_and_plot_paths_through_a_file_are_one_line_and_new_folders_are_made(db, cli_env, tmp_path):
    scenario(db)
    (tmp_path / "plain").write_text("x")
    runner = CliRunner()
    for args in (["view", str(tmp_path / "plain" / "v.html"), "--around", "Name P2"],
                 ["report", "disruption", "--top", "2", "--plot", str(tmp_path / "plain" / "d.png")]):
        r = runner.invoke(main, args, env=cli_env)
        assert r.exit_code == 1, r.output
        assert isinstance(r.exception, SystemExit) and "Traceback" not in r.output  # a clean exit, no trace
        assert f"cannot write {tmp_path / 'plain'}" in r.output and "is a file, not a folder" in r.output
    r = runner.invoke(main, ["view", str(tmp_path / "a" / "b" / "v.html"), "--around", "Name P2"], env=cli_env)
    assert r.exit_code == 0, r.output
    assert (tmp_path / "a" / "b" / "v.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in (tmp_path / "a" / "b").iterdir()] == ["v.html"]  # no temporary file left
    r = runner.invoke(main, ["report", "disruption", "--top", "2", "--plot", str(tmp_path / "c" / "d.png")], env=cli_env)
    assert r.exit_code == 0, r.output
    assert (tmp_path / "c" / "d.png").read_bytes()[:4] == b"\x89PNG"
