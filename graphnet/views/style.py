"""How a view looks: colour and shape by entity type and role, edge style by type.

One table per concern, read by :mod:`graphnet.views.build` and by the legend,
so the page and its legend cannot disagree. Relationship colours follow the
schema's layers (``schema.yaml``): a new relationship type gets its layer's
colour without a change here.

>>> node_kind({"label": "Person", "roles": ["victim", "recruiter"]})
'recruiter'
>>> node_kind({"label": "Person", "roles": ["driver"], "organiser_candidate": True})
'organiser'
>>> node_kind({"label": "Lodging"})
'Lodging'
>>> s = edge_style({"type": "HYPOTHESIS"})
>>> s["label"], s["dashes"], s["color"]["color"]
('hypothesis', [8, 6], '#9e9e9e')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..schema import load_schema

__all__ = [
    "NODE_KINDS",
    "ROLE_ORDER",
    "LAYER_COLOURS",
    "node_kind",
    "is_convicted",
    "edge_style",
    "SYMMETRIC_TYPES",
    "legend",
    "community_colour",
]

# Person roles that decide a person's look, most telling first: a victim who
# later recruits others is drawn as a recruiter.
ROLE_ORDER: tuple[str, ...] = (
    "organiser",
    "official",
    "document_broker",
    "lodging_operator",
    "driver",
    "recruiter",
    "victim",
)

# kind -> (legend text, vis shape, fill colour, legend symbol)
NODE_KINDS: dict[str, tuple[str, str, str, str]] = {
    "organiser": ("organiser candidate", "star", "#d62728", "\u2605"),
    "official": ("official", "dot", "#1f3b73", "\u25cf"),
    "document_broker": ("document broker", "dot", "#9467bd", "\u25cf"),
    "lodging_operator": ("lodging operator", "dot", "#8c564b", "\u25cf"),
    "driver": ("driver / transporter", "dot", "#17becf", "\u25cf"),
    "recruiter": ("recruiter", "dot", "#ff7f0e", "\u25cf"),
    "victim": ("victim", "dot", "#7fb3e6", "\u25cf"),
    "person": ("other person", "dot", "#b0b0b0", "\u25cf"),
    "Case": ("case", "square", "#4d4d4d", "\u25a0"),
    "Document": ("document", "triangleDown", "#bcbd22", "\u25bc"),
    "Phone": ("phone", "triangle", "#2ca02c", "\u25b2"),
    "Account": ("account", "hexagon", "#e6ab02", "\u2b22"),
    "Vehicle": ("vehicle", "diamond", "#1b9e77", "\u25c6"),
    "Lodging": ("lodging", "diamond", "#a6611a", "\u25c6"),
    "Location": ("location", "dot", "#dcdcdc", "\u25cf"),
    "Organization": ("organization", "hexagon", "#6a7fa0", "\u2b22"),
    "Event": ("event", "square", "#c7a0d8", "\u25a0"),
    "group": ("collapsed group", "dot", "#f2e394", "\u25cf"),
    "other": ("other", "dot", "#cccccc", "\u25cf"),
}

LAYER_COLOURS: dict[str, str] = {
    "recruitment": "#d62728",
    "kinship": "#e377c2",
    "social": "#7f7f7f",
    "phone": "#2ca02c",
    "meeting": "#9467bd",
    "money": "#e6ab02",
    "transport": "#17becf",
    "infrastructure": "#8c8c8c",
    "lodging": "#a6611a",
    "documents": "#9467bd",
    "employment": "#1f77b4",
    "case": "#4d4d4d",
    "travel": "#1b9e77",
    "geography": "#c8c8c8",
    "affiliation": "#6a7fa0",
    "decision": "#555555",
    "hypothesis": "#9e9e9e",
    "group": "#b8a94a",
}

# Relationships without a direction worth an arrow.
SYMMETRIC_TYPES = frozenset({"KNOWS", "RELATIVE_OF", "ASSOCIATED_WITH", "MET", "SAME_AS", "HYPOTHESIS"})

# A palette for community borders (Tableau 10 with black kept for convicts).
_COMMUNITY_PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b",
    "#e377c2", "#17becf", "#bcbd22", "#7f7f7f", "#aec7e8",
)  # fmt: skip


def _roles(data: Mapping[str, Any]) -> set[str]:
    roles = data.get("roles") or []
    if isinstance(roles, str):
        roles = [roles]
    return {str(r).strip().lower().replace(" ", "_").replace("-", "_") for r in roles}


def node_kind(data: Mapping[str, Any]) -> str:
    """The key of :data:`NODE_KINDS` that decides how a node is drawn."""
    label = data.get("label")
    if data.get("collapsed") and not label:
        return "group"
    label = label or "other"
    if label != "Person":
        return label if label in NODE_KINDS else "other"
    roles = _roles(data)
    if data.get("organiser_candidate") or roles & {"organiser", "organizer", "organiser_candidate"}:
        return "organiser"
    for role in ROLE_ORDER:
        if role in roles:
            return role
    return "person"


def is_convicted(data: Mapping[str, Any]) -> bool:
    """A person with a conviction (``convicted``/``convicted_in`` attribute or role ``convicted``)."""
    return bool(data.get("convicted") or data.get("convicted_in")) or bool(_roles(data) & {"convicted", "convict"})


def community_colour(community: Any) -> str:
    """A stable border colour for a community id (ints and strings alike)."""
    if isinstance(community, int):
        index = community
    else:
        index = sum(ord(c) * 31**i for i, c in enumerate(str(community)[:16]))
    return _COMMUNITY_PALETTE[index % len(_COMMUNITY_PALETTE)]


def edge_style(data: Mapping[str, Any], directed: bool = True) -> dict[str, Any]:
    """vis-network edge options for a relationship: colour by layer, dashes for non-evidence."""
    rtype = str(data.get("type") or "")
    schema = load_schema()
    rel = schema.relationships.get(rtype)
    layer = data.get("layer") or (rel.layer if rel else "other")
    style: dict[str, Any] = {"color": {"color": LAYER_COLOURS.get(layer, "#999999"), "opacity": 0.85}}
    evidence = rel.evidence if rel else not data.get("hypothesis")
    if rtype == "HYPOTHESIS" or data.get("hypothesis"):
        style.update(dashes=[8, 6], color={"color": LAYER_COLOURS["hypothesis"], "opacity": 0.9}, label="hypothesis")
        style["font"] = {"color": "#707070", "size": 11, "strokeWidth": 3, "align": "middle"}
    elif not evidence:
        style.update(dashes=[2, 5])
    if directed and rtype not in SYMMETRIC_TYPES and not data.get("undirected"):
        style["arrows"] = {"to": {"enabled": True, "scaleFactor": 0.5}}
    return style


def legend(kinds: set[str], layers: set[str], *, convicts: bool, hypotheses: bool) -> dict[str, list]:
    """Legend entries for the kinds and layers present in a view (nothing unused)."""
    nodes = [
        {"kind": k, "text": NODE_KINDS[k][0], "symbol": NODE_KINDS[k][3], "colour": NODE_KINDS[k][2]}
        for k in NODE_KINDS
        if k in kinds
    ]
    edges = [
        {"layer": layer, "text": layer, "colour": LAYER_COLOURS.get(layer, "#999999"), "dashed": False}
        for layer in sorted(layers)
        if layer not in {"hypothesis", "decision"}
    ]
    if "decision" in layers:
        edges.append({"layer": "decision", "text": "same person (resolution decision)", "colour": LAYER_COLOURS["decision"], "dashed": True})
    if hypotheses:
        edges.append({"layer": "hypothesis", "text": "hypothesis (not evidence)", "colour": LAYER_COLOURS["hypothesis"], "dashed": True})
    marks = []
    if convicts:
        marks.append({"text": "\u2696 convicted (thick black border)"})
    return {"nodes": nodes, "edges": edges, "marks": marks}
