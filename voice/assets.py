"""Where the data that ships with the package lives: the model manifest and fitted
weights (``models/`` at the top of the source tree, reached as ``voice/_models``) and the
browser page (``voice/web``). Both are package data, so an installed wheel has them too.

May import: nothing.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent

MODELS_DIR = _PACKAGE / "_models"
"""The manifest (``manifest.json``), the cue weights and the safety screen's head."""

WEB_DIR = _PACKAGE / "web"
"""The check-in web page, served at ``/``."""
