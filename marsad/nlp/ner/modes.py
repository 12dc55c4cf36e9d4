"""The entity stage's modes and $MARSAD_NER_MODE (a light module: the CLI checks the variable at start-up)."""

from __future__ import annotations

import os

from marsad.errors import ModelError

#: ``fast`` is the CRF alone; ``accurate`` averages the CRF with the BiLSTM network (docs/benchmarks.md).
MODES = ("fast", "accurate")
DEFAULT = "fast"


def mode_from_env() -> str:
    """The entity-stage mode: $MARSAD_NER_MODE (``DEFAULT`` unless set), checked."""
    mode = os.environ.get("MARSAD_NER_MODE", "").strip().lower() or DEFAULT
    if mode not in MODES:
        raise ModelError(f"MARSAD_NER_MODE={mode!r} is not a mode (use one of: {', '.join(MODES)})")
    return mode
