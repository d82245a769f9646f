"""The machine a benchmark ran on: CPU model, cores, RAM, load, software versions."""

from __future__ import annotations

import os
import platform
import time
from pathlib import Path
from typing import Any


def describe() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gb = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gb = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    import igraph
    import networkx
    import neo4j

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(ram_gb, 1),
        "load_1min_at_start": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
        "networkx": networkx.__version__,
        "igraph": igraph.__version__,
        "neo4j_driver": neo4j.__version__,
        "date_utc": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def markdown(info: dict[str, Any]) -> str:
    return (
        f"Machine: {info['cpu']}, {info['cores']} cores (`nproc`), {info['ram_gb']} GB RAM; "
        f"1-minute load average at start {info['load_1min_at_start']} (the machine is shared). "
        f"Python {info['python']}, NetworkX {info['networkx']}, igraph {info['igraph']}, "
        f"neo4j driver {info['neo4j_driver']}. Run {info['date_utc']}."
    )
