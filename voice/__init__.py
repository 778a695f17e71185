"""voice: a local voice companion for spoken daily check-ins.

Importing this package is cheap: no model is loaded until an adapter is built.
"""

from __future__ import annotations

__version__ = "0.1.0"
