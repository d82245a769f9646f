"""The offline page: one HTML file, vis-network inlined, nothing fetched, nothing injectable.

* vis-network's JS and CSS are inlined from the copy pyvis ships
  (``pyvis/lib/vis-*/``), so the page works on a workstation without network.
* The graph travels as JSON in a ``<script type="application/json">`` block
  with ``<``, ``>``, ``&`` and the JS line separators escaped as ``\\uXXXX``:
  a name like ``</script><script>...`` stays a string.
* Everything else reaches the HTML through Jinja2 autoescaping, and tooltips
  are set as text (vis-network uses ``innerText`` for string titles).
* A Content-Security-Policy allows only the page's own scripts (by SHA-256
  hash), no network connection and no remote resource of any kind: even an
  injected ``<img onerror=...>`` could not run or fetch.

>>> safe_json({"name": "</script><img src=x onerror=alert(1)>"})
'{"name": "\\\\u003c/script\\\\u003e\\\\u003cimg src=x onerror=alert(1)\\\\u003e"}'
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .. import __version__
from ..errors import GraphnetError

__all__ = ["render_page", "safe_json", "vis_assets", "csp_for"]

_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_ESCAPE_RE = re.compile("[<>&\u2028\u2029]")


def safe_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element (no ``<``, ``>``, ``&`` left)."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group(0)], text)


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", path.name))


@functools.cache
def vis_assets() -> tuple[str, str, str]:
    """vis-network's (version, minified JS, CSS), from the copy pyvis ships."""
    lib = Path(str(resources.files("pyvis"))) / "lib"
    candidates = sorted(
        (d for d in lib.glob("vis-*") if (d / "vis-network.min.js").is_file() and (d / "vis-network.css").is_file()),
        key=_version_key,
    )
    if not candidates:
        raise GraphnetError(f"vis-network not found under {lib}: reinstall pyvis (pip install 'pyvis>=0.3.2')")
    folder = candidates[-1]
    js = (folder / "vis-network.min.js").read_text(encoding="utf-8")
    css = (folder / "vis-network.css").read_text(encoding="utf-8")
    for name, text, end in (("vis-network.min.js", js, "</script"), ("vis-network.css", css, "</style")):
        if end in text.lower():
            raise GraphnetError(f"{folder / name} contains {end!r} and cannot be inlined safely")
    return folder.name.removeprefix("vis-"), js, css


def _asset(name: str) -> str:
    return resources.files("graphnet").joinpath("assets", name).read_text(encoding="utf-8")


@functools.cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    return env.from_string(_asset("view.html.j2"))


def _hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def csp_for(scripts: list[str]) -> str:
    """The Content-Security-Policy of a page whose only scripts are ``scripts``."""
    return (
        "default-src 'none'; "
        f"script-src {' '.join(_hash(s) for s in scripts)}; "
        "style-src 'unsafe-inline'; img-src data:; font-src 'none'; connect-src 'none'; "
        "object-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'none'"
    )


def render_page(net: Any) -> str:
    """The self-contained HTML page of a :class:`~graphnet.views.build.ViewNetwork`."""
    version, vis_js, vis_css = vis_assets()
    extra = getattr(net, "graphnet", {}) or {}
    options = net.options if isinstance(net.options, dict) else json.loads(net.options.to_json())
    data = {"nodes": net.nodes, "edges": net.edges, "options": options}
    view_js = _asset("view.js")
    info = dict(extra.get("info") or {})
    info.setdefault("nodes", len(net.nodes))
    info.setdefault("edges", len(net.edges))
    made = extra.get("made") or dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    html = _template().render(
        title=extra.get("title") or net.heading or "graphnet view",
        csp=csp_for([vis_js, view_js]),
        vis_css=Markup(vis_css),
        view_css=Markup(_asset("view.css")),
        vis_js=Markup(vis_js),
        view_js=Markup(view_js),
        data=Markup(safe_json(data)),
        legend=extra.get("legend") or {"nodes": [], "edges": [], "marks": []},
        communities=extra.get("communities") or [],
        info=info,
        made=made,
        graphnet_version=__version__,
        vis_version=version,
    )
    return html
