"""Settings from the environment (pure: no server)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphnet.config import Settings


@pytest.mark.parametrize("build", [None, "/srv/graphnet/build", "/srv/graphnet/build/"])
def test_the_gds_build_has_its_own_folder_beside_the_plain_one(tmp_path, build):
    """Plain and GDS builds never share a folder, with or without GRAPHNET_BUILD_DIR, so a switch never rebuilds."""
    env = {"GRAPHNET_HOME": str(tmp_path)} | ({"GRAPHNET_BUILD_DIR": build} if build else {})
    plain = Settings.from_env(env).server_build_dir
    with_gds = Settings.from_env({**env, "GRAPHNET_GDS": "1"}).server_build_dir
    assert plain == (Path(build) if build else tmp_path / "server-build")
    assert with_gds == plain.with_name(plain.name + "-gds")
    # the same folder however the GDS settings are made
    assert Settings.from_env(env).replace(gds=True).server_build_dir == with_gds
    assert Settings.from_env({**env, "GRAPHNET_GDS": "1"}).replace(gds=False).server_build_dir == plain
