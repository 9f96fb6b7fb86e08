from __future__ import annotations

import os
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from sdm_app import i18n, paths

LOCALES = paths.locales_dir()
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


def _catalogue(language: str) -> Catalog:
    with (LOCALES / language / "LC_MESSAGES" / "sdm_app.po").open("rb") as handle:
        return read_po(handle, locale=language)


def _template_ids() -> set[str]:
    with (LOCALES / "sdm_app.pot").open("rb") as handle:
        template = read_po(handle)
    return {
        message.id if isinstance(message.id, str) else message.id[0]
        for message in template
        if message.id
    }


def test_source_and_required_languages_are_available() -> None:
    languages = i18n.available_languages()
    assert languages[0] == "en"
    assert {"es", "ar"} <= set(languages)


def test_template_is_up_to_date_with_the_code() -> None:
    from babel.messages.extract import extract_from_dir

    keywords = {
        "_": None,
        "N_": None,
        "ngettext": (1, 2),
        "pgettext": ((1, "c"), 2),
        "npgettext": ((1, "c"), 2, 3),
    }
    found = {
        (message[2] if isinstance(message[2], str) else message[2][0])
        for message in extract_from_dir(
            str(paths.app_root()),
            method_map=[("sdm_app/**.py", "python")],
            keywords=keywords,
        )
    }
    assert found - _template_ids() == set(), "run the extraction in locales/README.md"


def test_switching_language_changes_translations() -> None:
    assert i18n.set_language("es") == "es"
    assert i18n._("Library") != "Library"
    assert i18n.set_language("ar") == "ar"
    assert i18n.is_rtl(i18n.current_language())
    assert i18n._("Library") != "Library"
    i18n.set_language("en")
    assert i18n._("Library") == "Library"


def test_unknown_language_falls_back_to_english() -> None:
    assert i18n.set_language("xx") == "en"
    assert i18n.set_language("es_MX") == "es"


def test_plural_forms_come_from_the_catalogue() -> None:
    i18n.set_language("ar")
    forms = {
        i18n.ngettext("{count} module found", "{count} modules found", n)
        for n in (0, 1, 2, 3, 11, 100)
    }
    assert len(forms) == 6  # Arabic has six plural forms


def test_missing_or_stale_catalogue_is_compiled_on_use(tmp_path: Path) -> None:
    root = tmp_path / "locales"
    shutil.copytree(LOCALES / "es", root / "es")
    for mo in root.rglob("*.mo"):
        mo.unlink()
    compiled = i18n.compiled_catalogue("es", root)
    assert compiled is not None and compiled.is_file()

    po = root / "es" / "LC_MESSAGES" / "sdm_app.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(
        text.replace('msgstr "Biblioteca"', 'msgstr "Biblioteca nueva"'), encoding="utf-8"
    )
    future = compiled.stat().st_mtime + 10
    os.utime(po, (future, future))
    i18n.set_language("es", root)
    assert i18n._("Library") == "Biblioteca nueva"


def test_dates_and_numbers_follow_the_language() -> None:
    day = date(2026, 3, 5)
    assert "marzo" in i18n.format_date(day, "es")
    assert "March" in i18n.format_date(day, "en")
    assert i18n.format_number(1234.5, "es") != i18n.format_number(1234.5, "en")
    assert i18n.language_name("ar") == "العربية"


def test_system_language_follows_the_posix_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    assert i18n.system_language() == ""
    monkeypatch.setenv("LANG", "ar_EG.UTF-8")
    assert i18n.system_language() == "ar_EG"
    monkeypatch.setenv("LC_MESSAGES", "es_ES@euro")
    assert i18n.system_language() == "es_ES"
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    assert i18n.system_language() == ""


def test_first_start_takes_the_system_language_when_the_app_has_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sdm_app.app import initial_language

    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "es_MX.UTF-8")
    assert initial_language(None) == "es"
    assert initial_language("ar") == "ar"  # a saved choice wins
    monkeypatch.setenv("LANG", "xx_YY.UTF-8")
    assert initial_language(None) == i18n.SOURCE_LANGUAGE


def test_no_translated_string_hides_inside_an_f_string() -> None:
    """The extractor does not look inside f-strings: a message written there would
    never reach the translators (translating a variable there is fine)."""
    call = re.compile(r"""\bf(["']).*\{[^}]*\b(?:_|N_|ngettext|pgettext)\(\s*["']""")
    found = [
        f"{path}:{number}"
        for path in sorted((Path(__file__).resolve().parents[1] / "sdm_app").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if call.search(line)
    ]
    assert not found, found
