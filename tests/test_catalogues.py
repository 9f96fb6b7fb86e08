"""Every UI catalogue compiles, keeps what code and Qt rely on, and is as complete
as it is declared to be (``locales/COMPLETE``)."""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from sdm_app import i18n, paths
from sdm_app.pseudo_locale import build_pseudo_catalogue, pseudo_text

LOCALES = paths.locales_dir()
LANGUAGES = [code for code in i18n.catalogue_languages() if code != i18n.SOURCE_LANGUAGE]
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
PRINTF = re.compile(r"%(?:\([a-z_]+\))?[sd]")
NINE = {"en", "es", "fr", "de", "pt", "ar", "zh", "hi", "pl"}


def _declared_complete() -> list[str]:
    lines = (LOCALES / "COMPLETE").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _catalogue(language: str) -> Catalog:
    with (LOCALES / language / "LC_MESSAGES" / "sdm_app.po").open("rb") as handle:
        return read_po(handle, domain=i18n.DOMAIN)


def _key(message: Message) -> tuple[str | None, str]:
    return (message.context, message.id if isinstance(message.id, str) else message.id[0])


def _template() -> dict[tuple[str | None, str], Message]:
    with (LOCALES / "sdm_app.pot").open("rb") as handle:
        return {_key(message): message for message in read_po(handle) if message.id}


def _strings(message: Message) -> list[str]:
    raw = message.string
    return [str(part) for part in (raw if isinstance(raw, tuple | list) else (raw,))]


def _sources(message: Message) -> list[str]:
    return [str(part) for part in (message.id if isinstance(message.id, tuple) else (message.id,))]


def test_the_nine_languages_and_the_pseudo_locale_have_catalogues() -> None:
    assert set(i18n.catalogue_languages()) >= NINE | {i18n.PSEUDO_LANGUAGE}
    assert i18n.PSEUDO_LANGUAGE not in i18n.available_languages()


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_compiles_and_loads(language: str, tmp_path: Path) -> None:
    mo_path = tmp_path / "sdm_app.mo"
    i18n.compile_catalogue(LOCALES / language / "LC_MESSAGES" / "sdm_app.po", mo_path)
    with mo_path.open("rb") as handle:
        translation = gettext.GNUTranslations(handle)
    header = translation.info()
    assert "plural-forms" in header, f"{language}: no Plural-Forms in the header"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="msgfmt (gettext) is not installed")
@pytest.mark.parametrize("language", LANGUAGES)
def test_msgfmt_check_passes(language: str, tmp_path: Path) -> None:
    po_path = LOCALES / language / "LC_MESSAGES" / "sdm_app.po"
    run = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "out.mo"), str(po_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_markup_and_shortcuts_survive(language: str) -> None:
    catalogue = _catalogue(language)
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        sources = _sources(message)
        source = sources[-1]
        # A plural's singular form may leave out the count, as gettext's own do.
        required = set(PLACEHOLDER.findall(sources[0]))
        allowed = set().union(*(set(PLACEHOLDER.findall(text)) for text in sources))
        for text in filter(None, _strings(message)):
            if not required <= set(PLACEHOLDER.findall(text)) <= allowed:
                problems.append(f"placeholders differ: {source!r}")
            if sorted(TAG.findall(text)) != sorted(TAG.findall(source)):
                problems.append(f"markup differs: {source!r}")
            if sorted(PRINTF.findall(text)) != sorted(PRINTF.findall(source)):
                problems.append(f"%-formats differ: {source!r}")
            if re.search(r"&[^&\s]", source) and not re.search(r"&[^&\s]", text):
                problems.append(f"keyboard shortcut lost: {source!r}")
        if isinstance(message.id, tuple) and len(_strings(message)) != catalogue.num_plurals:
            problems.append(f"{len(_strings(message))} plural forms, not {catalogue.num_plurals}")
    assert not problems, f"{language}: " + "; ".join(problems[:5])


def _missing(catalogue: Catalog) -> list[str]:
    """Template strings the catalogue lacks, or has only as fuzzy."""
    done = {
        _key(message)
        for message in catalogue
        if message.id and not message.fuzzy and all(_strings(message))
    }
    return sorted(str(key[1]) for key in _template().keys() - done)


@pytest.mark.parametrize("language", _declared_complete())
def test_a_language_declared_complete_has_every_string(language: str) -> None:
    missing = _missing(_catalogue(language))
    assert not missing, f"{language}: {len(missing)} missing or fuzzy, e.g. {missing[:3]}"


def test_nine_languages_are_declared_complete() -> None:
    assert set(_declared_complete()) >= (NINE - {"en"}) | {i18n.PSEUDO_LANGUAGE}


def test_completeness_check_catches_a_missing_and_a_fuzzy_string() -> None:
    # The check above must be able to fail: blank one string and mark another fuzzy.
    catalogue = _catalogue("es")
    assert _missing(catalogue) == []
    translated = [message for message in catalogue if message.id and message.string]
    translated[0].string = ""
    translated[1].flags.add("fuzzy")
    assert len(_missing(catalogue)) == 2


# Header fields that say which tool wrote a catalogue, and when: not its contents.
TOOL_FIELDS = re.compile(rb'^"(?:Generated-By|POT-Creation-Date|PO-Revision-Date): .*\n', re.M)


def _without_tool_fields(po: bytes) -> bytes:
    return TOOL_FIELDS.sub(b"", po)


def test_pseudo_catalogue_is_made_from_the_current_template() -> None:
    expected = build_pseudo_catalogue(LOCALES / "sdm_app.pot")
    actual = (LOCALES / i18n.PSEUDO_LANGUAGE / "LC_MESSAGES" / "sdm_app.po").read_bytes()
    assert _without_tool_fields(actual) == _without_tool_fields(expected), (
        "run `sdm-app i18n pseudo` after extracting strings"
    )


def test_tool_fields_are_all_that_the_pseudo_comparison_ignores() -> None:
    made = build_pseudo_catalogue(LOCALES / "sdm_app.pot")
    restamped = made.replace(b'"Generated-By: ', b'"Generated-By: another tool ', 1)
    assert _without_tool_fields(restamped) == _without_tool_fields(made)
    changed = made.replace(b'msgstr "[', b'msgstr "[x', 1)
    assert changed != made
    assert _without_tool_fields(changed) != _without_tool_fields(made)


@pytest.mark.parametrize(
    "source",
    ["Library", "{count} module found", "<b>Bold</b> &amp; {name}", "&Open\nnext line"],
)
def test_pseudo_text_keeps_placeholders_and_grows(source: str) -> None:
    text = pseudo_text(source)
    assert text.startswith("[") and text.endswith("]")
    assert PLACEHOLDER.findall(text) == PLACEHOLDER.findall(source)
    assert TAG.findall(text) == TAG.findall(source)
    assert text.count("\n") == source.count("\n")

    def visible(value: str) -> str:
        return re.sub(r"&amp;|[\[\]]", "", PLACEHOLDER.sub("", TAG.sub("", value)))

    assert len(visible(text)) >= len(visible(source)) * 1.3
    assert not re.search(r"[a-zA-Z]{3}", PLACEHOLDER.sub("", TAG.sub("", text)).replace("amp", ""))
