"""``graphnet.collector``: settling a command's graph only in the one-shot ``graphnet`` process.

Each check runs in a child Python: freezing this test process would change
what every later test's collections see.
"""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import textwrap


def _python(code: str) -> str:
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def test_settle_freezes_only_in_a_one_shot_process():
    out = _python("""
        import gc
        from graphnet import collector
        graph = [{"src": {f"s:{i}"}} for i in range(100_000)]  # tracked: a dict holding a set
        collector.settle()
        library = gc.get_freeze_count()
        collector.one_shot_process()
        collector.settle()
        print(library, gc.get_freeze_count())
    """)
    library, one_shot = map(int, out.split())
    assert library == 0  # a notebook or a service: nothing frozen, cycles still collected
    assert one_shot >= 100_000  # the command: the graph's dicts are out of the collector's sight


def test_the_graphnet_command_is_a_one_shot_process():
    scripts = importlib.metadata.entry_points(group="console_scripts")
    assert scripts["graphnet"].value == "graphnet.cli:run"
    out = _python("""
        import runpy, sys
        from graphnet import collector
        sys.argv = ["graphnet", "--version"]
        try:
            runpy.run_module("graphnet", run_name="__main__")
        except SystemExit as e:
            print(e.code, collector._one_shot)
    """)
    assert out.splitlines()[-1] == "0 True"
    out = _python("""
        from click.testing import CliRunner
        from graphnet import collector
        from graphnet.cli import main
        print(CliRunner().invoke(main, ["--version"]).exit_code, collector._one_shot)
    """)
    assert out == "0 False"  # main() alone, as tests and scripts call it: a process that goes on
