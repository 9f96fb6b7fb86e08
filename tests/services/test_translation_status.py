from __future__ import annotations

import json
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from sdm_app import cli
from sdm_app.services.translation_status import _template_keys, translation_status, ui_coverage
from tests.content import packfactory


def _write(path: Path, catalogue: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalogue)


@pytest.fixture
def locales(tmp_path: Path) -> Path:
    root = tmp_path / "locales"
    template = Catalog(domain="sdm_app")
    for text in ("Library", "Search", "Settings"):
        template.add(text)
    template.add(("{count} result", "{count} results"))
    _write(root / "sdm_app.pot", template)
    spanish = Catalog(locale="es", domain="sdm_app")
    spanish.add("Library", "Biblioteca")
    spanish.add("Search", "Buscar", flags=["fuzzy"])
    spanish.add("Settings", "")
    # Every plural form the language's rule asks for (CLDR gives Spanish two forms in
    # some releases and three in others), so the message counts as translated in all.
    forms = ("{count} resultado", "{count} resultados", "{count} de resultados")
    plural_forms = tuple(forms[min(index, 2)] for index in range(spanish.num_plurals))
    spanish.add(("{count} result", "{count} results"), plural_forms)
    spanish.add("Gone from the code", "Ya no")  # not in the template: not counted
    _write(root / "es" / "LC_MESSAGES" / "sdm_app.po", spanish)
    return root


@pytest.fixture
def content(tmp_path: Path) -> Path:
    files: dict[str, str | bytes] = dict(packfactory.valid_files())
    arabic = files["modules/biomarker-testing.ar.md"]
    assert isinstance(arabic, str)
    files["modules/biomarker-testing.ar.md"] = arabic.replace(
        "translation_of: 3", "translation_of: 2"
    )
    return packfactory.write_pack(tmp_path / "content" / "test", files).parent


def test_ui_and_content_figures_per_language(locales: Path, content: Path) -> None:
    found = {status.language: status for status in translation_status(locales, content)}
    assert next(iter(found)) == "en"
    spanish = found["es"]
    assert (spanish.ui.translated, spanish.ui.fuzzy, spanish.ui.missing, spanish.ui.total) == (
        2,
        1,
        1,
        4,
    )
    assert (spanish.content.translated, spanish.content.stale, spanish.content.missing) == (2, 0, 0)
    arabic = found["ar"]  # a content language without a UI catalogue
    assert (arabic.ui.translated, arabic.ui.missing) == (0, 4)
    assert (arabic.content.translated, arabic.content.stale, arabic.content.missing) == (1, 1, 0)
    chinese = found["zh_Hans"]
    assert (chinese.content.translated, chinese.content.missing, chinese.content.total) == (1, 1, 2)
    assert chinese.content.missing_ids == ("test/module/biomarker-testing",)
    assert found["en"].content.translated == found["en"].content.total == 2


def test_a_plural_message_missing_a_form_is_not_translated(tmp_path: Path) -> None:
    root = tmp_path / "locales"
    template = Catalog(domain="sdm_app")
    template.add(("{count} result", "{count} results"))
    _write(root / "sdm_app.pot", template)
    polish = Catalog(locale="pl", domain="sdm_app")  # three forms in every CLDR release
    polish.add(("{count} result", "{count} results"), ("{count} wynik", "{count} wyniki", ""))
    _write(root / "pl" / "LC_MESSAGES" / "sdm_app.po", polish)
    coverage = ui_coverage("pl", root, _template_keys(root))
    assert (coverage.translated, coverage.missing) == (0, 1)


def test_cli_json_has_the_documented_shape(
    locales: Path,
    content: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sdm_app.paths.locales_dir", lambda: locales)
    assert cli.main(["i18n", "status", "--json", "--content", str(content)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report) == {"en", "es", "ar", "zh_Hans"}
    for figures in report.values():
        assert set(figures["ui"]) >= {"translated", "fuzzy", "missing", "total"}
        assert set(figures["content"]) >= {"translated", "stale", "missing", "total"}
    assert report["es"]["ui"]["fuzzy"] == 1


def test_cli_table_lists_every_language(
    locales: Path,
    content: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sdm_app.paths.locales_dir", lambda: locales)
    assert cli.main(["i18n", "status", "--content", str(content)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines[1:]] == ["en", "es", "ar", "zh_Hans"]
    assert "2/4" in lines[2]


def test_shipped_languages_are_complete_for_the_ui_and_the_core_content() -> None:
    from sdm_app import paths

    found = {
        status.language: status
        for status in translation_status(paths.locales_dir(), paths.content_dir())
    }
    for language in ("en", "es", "fr", "de", "pt", "ar", "zh", "hi", "pl"):
        ui = found[language].ui
        assert ui.translated == ui.total, f"{language}: {ui}"
    core = {
        f"core/module/{name}"
        for name in (
            "precision-medicine",
            "biomarker-testing",
            "germline-vs-somatic",
            "variant-classes",
            "targets-and-tumour-type",
            "family-and-cascade-testing",
        )
    }
    assert not found["en"].content.missing_ids  # the source language
    for language in ("es", "ar", "zh"):
        missing = set(found[language].content.missing_ids)
        assert not (core & missing), f"{language}: core modules missing {core & missing}"
        assert not {key for key in missing if "/decision-aid/" in key}, f"{language}: aids missing"
