from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

BLNS = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "blns.json"


@pytest.fixture(scope="session")
def blns() -> list[str]:
    if not BLNS.is_file():
        pytest.skip("the naughty-strings fixture is not available")
    strings = json.loads(BLNS.read_text(encoding="utf-8"))
    return [s for s in strings if isinstance(s, str)]
