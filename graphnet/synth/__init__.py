"""Synthetic trafficking scenarios with ground truth: ``graphnet synth``.

Writes the agency spreadsheets of a scenario modelled on shared/DOMAIN.md
(many small family-and-friends recruitment cases along the West Kalimantan
route, a few hidden syndicates whose organisers never appear in a case file,
peripheral convicts, age-falsified documents, duplicate people spelt
differently by each agency, missing records, a few broken rows, background
noise) plus ``load-plan.yaml`` and ``truth.json``.

>>> from graphnet.synth import FILES, PRESETS
>>> len(FILES), sorted(PRESETS)
(11, ['national', 'province'])
"""

from __future__ import annotations

from .contract import DATE_FORMATS, FILES
from .generate import PRESETS, ScenarioSummary, estimate, generate, make_params

__all__ = ["generate", "estimate", "make_params", "ScenarioSummary", "PRESETS", "FILES", "DATE_FORMATS"]
