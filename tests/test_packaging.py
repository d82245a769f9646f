"""cypher/, loaders/, reports/ and the Maven project ship inside the wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_carries_package_data_and_every_subpackage(tmp_path):
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        text=True,
    )
    # quiet: no setuptools deprecation (license table) or "absent from `packages`" (data folders) warnings
    assert "Warning" not in built.stdout + built.stderr, built.stdout + built.stderr
    wheel = next(tmp_path.glob("graphnet-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"graphnet/resources/queries/{p.name}" for p in (ROOT / "cypher").glob("*.cypher")}
    expected |= {f"graphnet/resources/loaders/{p.name}" for p in (ROOT / "loaders").glob("*.yaml")}
    expected |= {f"graphnet/resources/reports/{p.name}" for p in (ROOT / "reports").glob("*.j2")}
    expected |= {"graphnet/schema.yaml", "graphnet/py.typed", "graphnet/server/pom.xml"}
    expected |= {f"graphnet/assets/fonts/{p.name}" for p in (ROOT / "graphnet/assets/fonts").iterdir()}
    # every Python package of the source tree is in the wheel
    expected |= {
        "graphnet/" + str(p.relative_to(ROOT / "graphnet"))
        for p in (ROOT / "graphnet").rglob("*.py")
        if "server" not in p.parts
    }
    assert expected - names == set()


def test_cypher_function_is_not_shadowed_by_its_package_data():
    """Importing the package that holds cypher/ must not rebind graphnet.resources.cypher."""
    import importlib

    import graphnet.resources as res

    importlib.import_module(res._CYPHER)
    importlib.import_module(res._LOADERS)
    importlib.import_module(res._REPORTS)
    from graphnet.resources import cypher

    assert callable(cypher) and cypher("schema").startswith("// Generated")
