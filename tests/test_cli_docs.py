"""The CLI and the README stay in sync: every command has help and is documented."""

from __future__ import annotations

from pathlib import Path

import click
from click.testing import CliRunner

from graphnet.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    ctx = click.Context(group)
    out = []
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        full = f"{prefix} {name}".strip()
        out.append((full, cmd))
        if isinstance(cmd, click.Group):
            out += _commands(cmd, full)
    return out


def test_every_command_has_help_and_is_in_the_readme():
    runner = CliRunner()
    missing = []
    for name, cmd in _commands(main):
        assert cmd.help, f"`graphnet {name}` has no help text"
        r = runner.invoke(main, [*name.split(), "--help"])
        assert r.exit_code == 0, r.output
        if f"graphnet {name}" not in README:
            missing.append(name)
    assert not missing, f"commands not in README.md: {missing}"


def test_version():
    r = CliRunner().invoke(main, ["--version"])
    assert r.exit_code == 0 and r.output.startswith("graphnet, version ")


def test_example_uids_have_the_width_synth_writes(tmp_path):
    """police:POL-000007, not POL-0007: the agency uids in --help texts and the README look like real ones."""
    import re

    from graphnet.synth import generate

    uid = re.compile(r"\b(POL|SAK|TDW)-(\d+)\b")
    generate(tmp_path, seed=5, cases=8, syndicates=2, background=301)
    widths: dict[str, set[int]] = {}
    for f in tmp_path.glob("*.csv"):
        for m in uid.finditer(f.read_text(encoding="utf-8")):
            widths.setdefault(m[1], set()).add(len(m[2]))
    assert set(widths) == {"POL", "SAK", "TDW"} and all(len(w) == 1 for w in widths.values()), widths
    runner = CliRunner()
    texts = {"README.md": README}
    texts |= {f"graphnet {name} --help": runner.invoke(main, [*name.split(), "--help"], terminal_width=400).output
              for name, _ in _commands(main)}
    wrong = [(where, m[0]) for where, text in texts.items() for m in uid.finditer(text) if len(m[2]) not in widths[m[1]]]
    assert not wrong, f"uids of the wrong width (synth writes {widths}): {wrong}"
