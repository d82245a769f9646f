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
