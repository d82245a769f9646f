"""Configuration: the one module that reads environment variables.

Settings come from the environment with safe defaults; command-line flags
override them through :meth:`Settings.replace`. No other module reads
``os.environ``.

=====================  ==========================================  ===========================
variable               meaning                                     default
=====================  ==========================================  ===========================
NEO4J_URI              an external Neo4j server to use instead     (unset: the managed server)
NEO4J_USERNAME         user for NEO4J_URI                          ``neo4j``
NEO4J_PASSWORD         password for NEO4J_URI                      (none)
NEO4J_DATABASE         database name                               ``neo4j``
GRAPHNET_HOME          data of the managed Neo4j, build, state     ``$XDG_DATA_HOME/graphnet``
GRAPHNET_BUILD_DIR     where the managed Neo4j is built by Maven   ``$GRAPHNET_HOME/server-build``
                                                                   (``-gds`` with GRAPHNET_GDS)
GRAPHNET_NEO4J_PORT    Bolt port of the managed Neo4j              ``7687``
GRAPHNET_NEO4J_HEAP    JVM heap of the managed Neo4j               ``1g``
GRAPHNET_PAGECACHE_MB  page cache of the managed Neo4j (MiB)       ``64``
GRAPHNET_GDS           ``1``: managed Neo4j with GDS (own build)   ``0``
JAVA_HOME              a Java 17 or 21 JDK                         first JDK 17/21 found
GRAPHNET_REDACT_KEY    key of the victim pseudonyms (HMAC)         (none: required to redact)
=====================  ==========================================  ===========================

>>> s = Settings.from_env({"NEO4J_URI": "neo4j+s://x.databases.neo4j.io"})
>>> s.external, s.database
(True, 'neo4j')
>>> Settings.from_env({}).external
False
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from pathlib import Path

from .errors import ConfigError

__all__ = ["Settings", "get_settings"]


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None


@dataclasses.dataclass(frozen=True)
class Settings:
    """Everything graphnet needs to know about its environment."""

    uri: str | None = None
    username: str = "neo4j"
    password: str | None = None
    database: str = "neo4j"
    home: Path = Path.home() / ".local" / "share" / "graphnet"
    build_dir: Path | None = None
    port: int = 7687
    heap: str = "1g"
    pagecache_mb: int = 64
    gds: bool = False
    java_home: Path | None = None
    redact_key: str | None = None

    @property
    def external(self) -> bool:
        """True when ``NEO4J_URI`` names a server other than the managed one."""
        return bool(self.uri)

    @property
    def server_build_dir(self) -> Path:
        """Where the managed Neo4j is built: ``GRAPHNET_BUILD_DIR`` if set, else under the home.

        The GDS build (``GRAPHNET_GDS=1``) lives beside the plain one, its
        folder's name with ``-gds`` appended (``server-build-gds``, or
        ``$GRAPHNET_BUILD_DIR-gds``), so switching between them never rebuilds
        the other or changes the classpath of a server another process runs.

        >>> s = Settings(home=Path("/h"))
        >>> str(s.server_build_dir), str(s.replace(gds=True).server_build_dir)
        ('/h/server-build', '/h/server-build-gds')
        >>> s = Settings(build_dir=Path("/b/build"))
        >>> str(s.server_build_dir), str(s.replace(gds=True).server_build_dir)
        ('/b/build', '/b/build-gds')
        """
        plain = self.build_dir or self.home / "server-build"
        return plain.parent / f"{plain.name}-gds" if self.gds else plain

    @property
    def server_home(self) -> Path:
        """Where the managed Neo4j keeps its store, logs and state file."""
        return self.home / "neo4j"

    def replace(self, **changes: object) -> "Settings":
        """A copy with the given fields changed (``None`` values are ignored)."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if env is None else env
        data_home = Path(env.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
        home = Path(env.get("GRAPHNET_HOME") or data_home / "graphnet").expanduser()
        build = env.get("GRAPHNET_BUILD_DIR")
        java = env.get("JAVA_HOME")
        return cls(
            uri=env.get("NEO4J_URI") or None,
            username=env.get("NEO4J_USERNAME") or "neo4j",
            password=env.get("NEO4J_PASSWORD") or None,
            database=env.get("NEO4J_DATABASE") or "neo4j",
            home=home,
            build_dir=Path(build).expanduser() if build else None,
            port=_int(env, "GRAPHNET_NEO4J_PORT", 7687),
            heap=env.get("GRAPHNET_NEO4J_HEAP") or "1g",
            pagecache_mb=_int(env, "GRAPHNET_PAGECACHE_MB", 64),
            gds=env.get("GRAPHNET_GDS", "0").lower() in {"1", "true", "yes"},
            java_home=Path(java) if java else None,
            redact_key=env.get("GRAPHNET_REDACT_KEY") or None,
        )


def get_settings() -> Settings:
    """Settings read from the current process environment."""
    return Settings.from_env()
