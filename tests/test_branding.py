from __future__ import annotations

import json
from pathlib import Path

import pytest

from sdm_app import branding
from sdm_app.branding import Branding, parse_branding


def _data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "app_names": {"en": "Genes and Choices", "es": "Genes y Decisiones"},
        "organisation": "Example Alliance",
        "website": "https://example.org",
        "accent": "#1f5f8b",
        "logo": "logo.png",
        "default_locale": "es",
        "locales": ["en", "es"],
    }
    data.update(changes)
    return data


def test_app_name_follows_the_language_then_english(tmp_path: Path) -> None:
    found = parse_branding(_data(), tmp_path)
    assert found.app_name("es") == "Genes y Decisiones"
    assert found.app_name("es_MX") == "Genes y Decisiones"
    assert found.app_name("ar") == "Genes and Choices"
    assert found.logo is None  # named but absent: no broken icon


def test_logo_is_found_beside_the_file(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert parse_branding(_data(), tmp_path).logo == tmp_path / "logo.png"


@pytest.mark.parametrize(
    "bad", [[], {"organisation": "x"}, _data(app_names={}), _data(app_names="x")]
)
def test_a_damaged_file_is_rejected(bad: object, tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        parse_branding(bad, tmp_path)


def test_no_file_means_no_branding_and_a_damaged_one_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sdm_app.paths.resources_dir", lambda: tmp_path)
    branding.current_branding.cache_clear()
    try:
        assert branding.current_branding() is None
        folder = tmp_path / "branding"
        folder.mkdir()
        (folder / "branding.json").write_text("{not json", encoding="utf-8")
        branding.current_branding.cache_clear()
        assert branding.current_branding() is None
        assert "branding.json" in capsys.readouterr().err
        (folder / "branding.json").write_text(json.dumps(_data()), encoding="utf-8")
        branding.current_branding.cache_clear()
        found = branding.current_branding()
        assert isinstance(found, Branding) and found.organisation == "Example Alliance"
    finally:
        branding.current_branding.cache_clear()
