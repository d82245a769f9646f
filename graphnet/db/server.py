"""The managed local Neo4j: built from Maven Central, run as its own process.

The Maven project shipped in ``graphnet/server`` embeds Neo4j Community 5.26
with Bolt on 127.0.0.1. :func:`build` copies it to the build directory and runs
Maven once (again only when the project changes); :func:`start` launches the
JVM, waits for the readiness line the server prints after a first query, and
records pid, port and version in ``$GRAPHNET_HOME/neo4j/server.json``.
Authentication is on: a random password is generated at first start and kept
in ``$GRAPHNET_HOME/neo4j/credentials`` (mode 0600).

Layout of ``$GRAPHNET_HOME`` (default ``~/.local/share/graphnet``)::

    server-build/      the Maven project and its target/ (classpath)
    neo4j/data/        the Neo4j store
    neo4j/logs/        graphnet-neo4j.log (JVM output) and Neo4j's own logs
    neo4j/server.json  pid, port, uri, version of the running server
    neo4j/credentials  the generated password
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import ServerError

__all__ = ["build", "start", "stop", "status", "managed_password", "find_java", "free_port", "classpath_ready",
           "import_marker"]

READY = "GRAPHNET-NEO4J READY"
MAIN_CLASS = "org.graphnet.server.GraphnetNeo4j"
# The --add-opens flags Neo4j's own neo4j.conf ships for Java 17+.
JVM_FLAGS = [
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
    "--add-opens=java.base/java.net=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "-Dfile.encoding=UTF-8",
    "-XX:+UseG1GC",
]
SUPPORTED_JAVA = (17, 21)


def _java_major(java: Path) -> int | None:
    try:
        out = subprocess.run([str(java), "-version"], capture_output=True, text=True, timeout=30).stderr
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r'version "(\d+)', out)
    return int(m.group(1)) if m else None


def find_java(settings: Settings) -> Path:
    """A Java 17 or 21 home: ``JAVA_HOME`` if it is one, else the first found.

    Neo4j 5.26 does not run on newer Java (this machine also carries a JDK 25),
    so a ``JAVA_HOME`` of another version is passed over, not used.
    """
    candidates: list[Path] = []
    if settings.java_home:
        candidates.append(settings.java_home)
    jvm = Path("/usr/lib/jvm")
    if jvm.is_dir():
        candidates += sorted(p for p in jvm.iterdir() if p.is_dir() and not p.is_symlink())
    on_path = shutil.which("java")
    if on_path:
        candidates.append(Path(on_path).resolve().parent.parent)
    seen = []
    for home in candidates:
        java = home / "bin" / "java"
        if not java.exists():
            continue
        major = _java_major(java)
        seen.append(f"{home} (Java {major})")
        if major in SUPPORTED_JAVA:
            return home
    raise ServerError(
        "Neo4j 5.26 needs Java 17 or 21 and none was found"
        + (f"; found {', '.join(seen)}" if seen else "")
        + ". Install OpenJDK 17 (Debian: apt-get install openjdk-17-jdk-headless) or set JAVA_HOME to one."
    )


def _server_sources() -> dict[str, bytes]:
    root = resources.files("graphnet").joinpath("server")
    files = {"pom.xml": root.joinpath("pom.xml").read_bytes()}
    java = root.joinpath("src", "main", "java", "org", "graphnet", "server")
    for f in java.iterdir():
        if f.name.endswith(".java"):
            files[f"src/main/java/org/graphnet/server/{f.name}"] = f.read_bytes()
    return files


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _stamp(settings: Settings) -> str:
    h = hashlib.sha256()
    for name, data in sorted(_server_sources().items()):
        h.update(name.encode() + b"\0" + data + b"\0")
    h.update(b"gds" if settings.gds else b"plain")
    return h.hexdigest()


def classpath_ready(settings: Settings) -> bool:
    """True when the build directory holds a build of the current sources."""
    stamp = settings.server_build_dir / "build.stamp"
    return stamp.exists() and stamp.read_text() == _stamp(settings)


def build(settings: Settings, force: bool = False, echo: bool = False) -> Path:
    """Build the server with Maven (first use only); return the build directory."""
    out = settings.server_build_dir
    with _locked(out.parent / (out.name + ".lock")):
        if classpath_ready(settings) and not force:
            return out
        mvn = shutil.which("mvn")
        if not mvn:
            raise ServerError(
                "Maven (mvn) is needed once to build the local Neo4j from Maven Central and was not found. "
                "Install it (Debian: apt-get install maven) or point NEO4J_URI at a running Neo4j 5 server."
            )
        java_home = find_java(settings)
        for name, data in _server_sources().items():
            target = out / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        shutil.rmtree(out / "target" / "lib", ignore_errors=True)
        cmd = [mvn, "-B", "-q", "-Dstyle.color=never", "package"] + (["-Pgds"] if settings.gds else [])
        env = {**os.environ, "JAVA_HOME": str(java_home)}
        proc = subprocess.run(cmd, cwd=out, env=env, capture_output=not echo, text=True)
        if proc.returncode != 0:
            tail = "\n".join(((proc.stdout or "") + (proc.stderr or "")).splitlines()[-20:])
            raise ServerError(f"Maven build of the local Neo4j failed in {out} (exit {proc.returncode}):\n{tail}")
        (out / "build.stamp").write_text(_stamp(settings))
        return out


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _port_in_use(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _state_file(settings: Settings) -> Path:
    return settings.server_home / "server.json"


def _log_file(settings: Settings) -> Path:
    return settings.server_home / "logs" / "graphnet-neo4j.log"


def managed_password(settings: Settings) -> str:
    """The password of the managed server (generated at first use, mode 0600)."""
    path = settings.server_home / "credentials"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(24))
    return path.read_text().strip()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            state = fh.read().rsplit(")", 1)[1].split()[0]
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            cmdline = fh.read()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    if state == "Z":  # our own exited child: reap it
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        return False
    return MAIN_CLASS.encode() in cmdline


def _read_state(settings: Settings) -> dict[str, Any] | None:
    path = _state_file(settings)
    if not path.exists():
        return None
    try:
        state = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    if not _alive(int(state.get("pid", -1))):
        path.unlink(missing_ok=True)
        return None
    return state


def _store_size(settings: Settings) -> int:
    data = settings.server_home / "data"
    if not data.exists():
        return 0
    return sum(f.stat().st_size for f in data.rglob("*") if f.is_file())


def status(settings: Settings) -> dict[str, Any]:
    """State of the managed server: running, uri, pid, version, store size, home."""
    state = _read_state(settings)
    info: dict[str, Any] = {
        "running": state is not None,
        "home": str(settings.server_home),
        "store_bytes": _store_size(settings),
        "built": classpath_ready(settings),
    }
    if state:
        info.update({k: state[k] for k in ("uri", "pid", "port", "version", "started_at")})
    return info


def import_marker(settings: Settings) -> Path:
    """The file ``graphnet load --bulk`` keeps while Neo4j's importer writes the store.

    It lists the store folders being written. The importer only ever writes
    into an empty database (``--bulk`` refuses any other), so when a killed
    load leaves the marker behind, :func:`start` removes those folders: the
    database comes back as it was before the load, empty, instead of a
    half-written store Neo4j may refuse to open.
    """
    return settings.server_home / "data" / "bulk-import.pending"


def never_created(settings: Settings) -> bool:
    """Whether the managed database is sure to be empty without starting Neo4j to count.

    True when no managed server runs, the database's store folders do not
    exist (Neo4j creates them on its first start), no killed bulk import is
    pending and the port is free (so the start that follows cannot fail on it).
    ``graphnet load --bulk`` then skips the start it would make only to count
    the nodes (about 8 s on a 2-core machine).
    """
    if settings.external or _read_state(settings) is not None or import_marker(settings).exists():
        return False
    return not any(d.exists() for d in store_dirs(settings)) and not _port_in_use(settings.port)


def store_dirs(settings: Settings) -> list[Path]:
    """The store folders of the managed database (what a bulk import writes)."""
    data = settings.server_home / "data"
    return [data / "databases" / settings.database, data / "transactions" / settings.database]


def _drop_interrupted_import(settings: Settings) -> bool:
    marker = import_marker(settings)
    if not marker.is_file():
        return False
    data = (settings.server_home / "data").resolve()
    for line in marker.read_text(encoding="utf-8").splitlines():
        folder = Path(line).resolve()
        if line and data in folder.parents:  # only store folders of this server
            shutil.rmtree(folder, ignore_errors=True)
    marker.unlink()
    return True


def start(settings: Settings, timeout: float = 120.0) -> dict[str, Any]:
    """Start the managed Neo4j (building it first if needed) and wait until ready.

    Returns :func:`status`. Starting a server that already runs returns its
    status. A bulk import that was killed half-way (:func:`import_marker`) is
    removed first.
    """
    if _read_state(settings):
        return status(settings)
    _drop_interrupted_import(settings)
    build_dir = build(settings)
    java_home = find_java(settings)
    port = settings.port
    if _port_in_use(port):
        raise ServerError(
            f"port {port} on 127.0.0.1 is already in use by another program; "
            "set GRAPHNET_NEO4J_PORT to a free port (or NEO4J_URI to use that server)"
        )
    home = settings.server_home
    log = _log_file(settings)
    log.parent.mkdir(parents=True, exist_ok=True)
    password = managed_password(settings)
    cp = f"{build_dir / 'target' / 'classes'}{os.pathsep}{build_dir / 'target' / 'lib' / '*'}"
    cmd = [
        str(java_home / "bin" / "java"),
        f"-Xms{settings.heap}",
        f"-Xmx{settings.heap}",
        *JVM_FLAGS,
        "-cp",
        cp,
        MAIN_CLASS,
        str(home),
        str(port),
        str(settings.pagecache_mb),
    ]
    offset = log.stat().st_size if log.exists() else 0
    env = {**os.environ, "JAVA_HOME": str(java_home), "GRAPHNET_NEO4J_PASSWORD": password}
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            cmd, cwd=home, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env=env, start_new_session=True,
        )
    try:
        version = _await_ready(proc, log, offset, timeout)
    except BaseException:  # KeyboardInterrupt too: no server left running that no state file names
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        raise
    state = {
        "pid": proc.pid,
        "port": port,
        "uri": f"bolt://127.0.0.1:{port}",
        "version": version,
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    _state_file(settings).write_text(json.dumps(state, indent=2))
    return status(settings)


def _await_ready(proc: subprocess.Popen, log: Path, offset: int, timeout: float) -> str:
    """Wait until the server started as ``proc`` says it is ready (in ``log`` after ``offset``); its version."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with open(log, "rb") as fh:
            fh.seek(offset)
            text = fh.read().decode("utf-8", "replace")
        m = re.search(re.escape(READY) + r" (\S+) (\S+)", text)
        if m:
            return m.group(2)
        if proc.poll() is not None:
            tail = "\n".join(text.splitlines()[-15:])
            raise ServerError(f"the local Neo4j exited during start-up (exit {proc.returncode}); see {log}:\n{tail}")
        time.sleep(0.25)
    raise ServerError(f"the local Neo4j was not ready after {timeout:.0f} s; see {log}")


def stop(settings: Settings, timeout: float = 60.0) -> bool:
    """Stop the managed Neo4j cleanly (SIGTERM, then SIGKILL after ``timeout``).

    Returns False when no managed server was running.
    """
    state = _read_state(settings)
    if not state:
        return False
    pid = int(state["pid"])
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    if _alive(pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        while _alive(pid):
            time.sleep(0.1)
    _state_file(settings).unlink(missing_ok=True)
    return True


def kill(settings: Settings) -> bool:
    """SIGKILL the managed server at once (fault-injection tests use this)."""
    state = _read_state(settings)
    if not state:
        return False
    pid = int(state["pid"])
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    while _alive(pid):
        time.sleep(0.05)
    _state_file(settings).unlink(missing_ok=True)
    return True
