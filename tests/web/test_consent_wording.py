"""The page shows the consent wording the server records choices under: same version, same
sentences (a change of wording needs a new version on both sides)."""

from __future__ import annotations

import re

from voice.accounts import WORDING, WORDING_VERSION
from voice.assets import WEB_DIR


def test_the_page_and_the_server_share_one_consent_wording() -> None:
    source = (WEB_DIR / "consent.js").read_text(encoding="utf-8")
    version = re.search(r'WORDING_VERSION = "([^"]+)"', source)
    assert version is not None and version.group(1) == WORDING_VERSION
    for key, sentence in WORDING.items():
        found = re.search(rf'\n  {key}: "([^"]+)",', source)
        assert found is not None, key
        assert found.group(1) == sentence, key
