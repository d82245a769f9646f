"""scripts/demo says what it did and how to reuse its server (runs parts of the script, no server)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import click
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
DEMO = (ROOT / "scripts" / "demo").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _bash(script: str, cwd: Path, stdin: str | None = None) -> str:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(cwd)}
    r = subprocess.run(["bash", "-c", "set -euo pipefail\n" + script], cwd=cwd, env=env, input=stdin,
                       capture_output=True, text=True, check=True)
    return r.stdout


def _graphnet_env(script: str, cwd: Path) -> dict[str, str]:
    out = _bash(script + "\nenv -0", cwd)
    return {k: v for k, _, v in (e.partition("=") for e in out.split("\0")) if k.startswith("GRAPHNET_")}


def test_demo_closing_hint_exports_every_variable_the_demo_set(tmp_path):
    """Pasting the printed export gives the same server, build folder and key (no Maven rebuild in that shell)."""
    lines = DEMO.splitlines()
    setup = "\n".join(ln for ln in lines if re.match(r"(export GRAPHNET_\w+|DEMO_KEY|OUT)=", ln))
    last_command = max(i for i, ln in enumerate(lines) if ln.startswith("$G "))
    hint = _bash(setup + "\n" + "\n".join(lines[last_command + 1:]), tmp_path)
    export = re.search(r"^ *(export .*)$", hint.replace("\\\n", " "), re.M)[1]  # one command, continued lines
    used = _graphnet_env(setup, tmp_path)
    assert {"GRAPHNET_HOME", "GRAPHNET_NEO4J_PORT", "GRAPHNET_BUILD_DIR", "GRAPHNET_REDACT_KEY"} <= set(used)
    assert _graphnet_env(export, tmp_path) == used
    # README's "Set up and run" shows that export: the same variables
    block = re.search(r"what the demo prints at its\nend:\n\n```bash\n(export .*?)\nsource", README, re.S)[1]
    assert _graphnet_env(block, tmp_path) == used


def test_demo_resolve_step_shows_the_summary(tmp_path):
    """The demo's `graphnet resolve | ...` keeps the applied / proposed lines, however many conflicts follow."""
    from graphnet.cli.resolve import _summary
    from graphnet.resolution import BirthDateConflict, Decision, ResolutionReport

    report = ResolutionReport(
        threshold=0.92, review_threshold=0.75, decided_by="graphnet", decided_at="", max_phone_people=2,
        records=300, clusters=40, merged_records=90,
        applied=[Decision("police:POL-000001", "court:TDW-00001", "applied", "nik=6171014101990001", 1.0)],
        proposed=[Decision("police:POL-000002", "court:TDW-00002", "proposed", "name+birth_date score=0.8", 0.8)],
        conflicts=[BirthDateConflict(f"police:POL-{i:06d}", (f"police:POL-{i:06d}",), ("Budi",),
                                     {"1990-01-01": [("record", f"police:POL-{i:06d}", ())],
                                      "1991-01-01": [("nik", f"police:POL-{i:06d}", ())]}) for i in range(30)],
    )
    printed = CliRunner().invoke(click.command()(lambda: _summary(report))).output
    assert len(printed.splitlines()) > 12  # more than `tail -n 12` showed
    resolve = next(ln for ln in DEMO.splitlines() if ln.startswith("$G resolve"))
    shown = _bash(resolve.split("|", 1)[1], tmp_path, stdin=printed)  # the demo's filter, on that output
    assert re.search(r"^applied +1 new merges: nik 1$", shown, re.M), shown
    assert re.search(r"^proposed +1 for review", shown, re.M), shown
    assert re.search(r"^conflicts +30 people", shown, re.M), shown
