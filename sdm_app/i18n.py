"""Translation of the app's own words, and locale-aware dates and numbers.

Import ``_`` and friends from here (never from builtins). They look up the
current catalogue at call time, so switching language takes effect at the next
call; the UI re-asks for its strings when ``set_language`` is followed by its
``language_changed`` signal.

Catalogues are ``locales/<lang>/LC_MESSAGES/sdm_app.po``. Compiled ``.mo`` files
are made from them whenever they are missing or older than the ``.po``, so no
way of starting the app can show an untranslated UI because a compile step was
skipped.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from sdm_app import paths

DOMAIN = "sdm_app"
SOURCE_LANGUAGE = "en"
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "yi", "dv", "ckb", "sd", "ug"})
# Accented, expanded English for spotting untranslated, joined or clipped text.
PSEUDO_LANGUAGE = "en_XA"

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language: str = SOURCE_LANGUAGE


def _(message: str) -> str:
    return _translation.gettext(message)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet (translate at use)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _translation.pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return _translation.npgettext(context, singular, plural, n)


def current_language() -> str:
    return _language


def system_language() -> str:
    """The user's message language from the POSIX variables ("es_ES"), or "" for none.

    Read directly rather than through the ``locale`` module, which costs start-up time.
    """
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            code = value.split(".")[0].split("@")[0]
            return "" if code in ("C", "POSIX") else code
    return ""


# Where US Letter is the usual paper (the rest of the world uses A4).
_LETTER_TERRITORIES = frozenset({"US", "CA", "MX", "PH", "CL", "CO", "VE", "GT", "PR", "BZ"})


def default_paper(system_locale: str | None = None) -> str:
    """ "letter" where US Letter is the usual paper (from the system's region), else "a4"."""
    code = (system_language() if system_locale is None else system_locale).replace("-", "_")
    territory = code.split("_")[1].upper() if "_" in code else ""
    return "letter" if territory in _LETTER_TERRITORIES else "a4"


def base_language(code: str) -> str:
    return code.replace("-", "_").split("_")[0].lower()


def is_rtl(code: str) -> bool:
    return base_language(code) in RTL_LANGUAGES


def catalogue_languages(locales_root: Path | None = None) -> list[str]:
    """Every language with a UI catalogue (the pseudo-locale too), the source first."""
    root = locales_root or paths.locales_dir()
    found = {
        entry.name
        for entry in _iter_dirs(root)
        if (entry / "LC_MESSAGES" / f"{DOMAIN}.po").is_file()
    }
    found.discard(SOURCE_LANGUAGE)
    return [SOURCE_LANGUAGE, *sorted(found)]


def available_languages(locales_root: Path | None = None) -> list[str]:
    """Languages offered to users, the source language first.

    The pseudo-locale is for translators and checks; ``SDM_APP_SHOW_PSEUDO=1``
    offers it too.
    """
    languages = catalogue_languages(locales_root)
    if os.environ.get("SDM_APP_SHOW_PSEUDO"):
        return languages
    return [language for language in languages if language != PSEUDO_LANGUAGE]


def _iter_dirs(root: Path) -> Iterable[Path]:
    try:
        return [entry for entry in root.iterdir() if entry.is_dir()]
    except OSError:
        return []


def compiled_catalogue(language: str, locales_root: Path | None = None) -> Path | None:
    """The ``.mo`` file for a language, compiled now if missing or stale.

    Compiles next to the ``.po`` when that folder is writable, else into the
    user's cache folder.
    """
    root = locales_root or paths.locales_dir()
    po_path = root / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po_path.is_file():
        return None
    po_mtime = po_path.stat().st_mtime_ns
    beside = po_path.with_suffix(".mo")
    if _is_fresh(beside, po_mtime):
        return beside
    if os.access(beside.parent, os.W_OK):
        target = beside
    else:
        target = paths.user_cache_dir() / "locales" / language / f"{DOMAIN}.mo"
        if _is_fresh(target, po_mtime):
            return target
    compile_catalogue(po_path, target)
    return target


def _is_fresh(mo_path: Path, po_mtime_ns: int) -> bool:
    return mo_path.is_file() and mo_path.stat().st_mtime_ns >= po_mtime_ns


def compile_catalogue(po_path: Path, mo_path: Path) -> None:
    """Compile one ``.po`` into ``.mo`` atomically (Babel, imported only when needed)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path.open("rb") as handle:
        language = babel_locale_code(po_path.parent.parent.name)
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    if catalog.locale is None:  # a header naming a code CLDR lacks (the pseudo-locale)
        catalog.locale = language
    mo_path.parent.mkdir(parents=True, exist_ok=True)
    temporary = mo_path.with_name(mo_path.name + f".{os.getpid()}.tmp")
    with temporary.open("wb") as handle:
        write_mo(handle, catalog, use_fuzzy=False)
    os.replace(temporary, mo_path)


def compile_all(locales_root: Path | None = None) -> list[Path]:
    return [
        mo
        for language in catalogue_languages(locales_root)
        if (mo := compiled_catalogue(language, locales_root)) is not None
    ]


def set_language(language: str, locales_root: Path | None = None) -> str:
    """Switch the UI language; returns the language actually used.

    An unknown language falls back to the source language rather than failing:
    the app must always start.
    """
    global _translation, _language
    if language == SOURCE_LANGUAGE:
        # The source language is the strings themselves: no catalogue to read.
        _translation, _language = gettext.NullTranslations(), SOURCE_LANGUAGE
        return _language
    mo_path = compiled_catalogue(language, locales_root)
    if mo_path is None and base_language(language) != language:
        language = base_language(language)
        mo_path = compiled_catalogue(language, locales_root)
    if mo_path is None:
        _translation, _language = gettext.NullTranslations(), SOURCE_LANGUAGE
        return _language
    with mo_path.open("rb") as handle:
        _translation = gettext.GNUTranslations(handle)
    _language = language
    return _language


# Written without spaces between sentences.
_UNSPACED_LANGUAGES = frozenset({"zh", "ja"})


def join_sentences(*sentences: str) -> str:
    """Whole sentences, one after another, spaced as the current language spaces them."""
    separator = "" if base_language(_language) in _UNSPACED_LANGUAGES else " "
    return separator.join(sentence for sentence in sentences if sentence)


def babel_locale_code(language: str) -> str:
    if language == PSEUDO_LANGUAGE:
        return SOURCE_LANGUAGE  # CLDR has no pseudo-locale; its dates stay English
    return language.replace("-", "_")


def format_date(value: date, language: str | None = None, length: str = "long") -> str:
    from babel.dates import format_date as babel_format_date

    return babel_format_date(value, format=length, locale=babel_locale_code(language or _language))


def format_number(value: float, language: str | None = None) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale=babel_locale_code(language or _language))


def format_percent(value: float, language: str | None = None) -> str:
    """``value`` is a fraction: 0.25 is shown as 25 %."""
    from babel.numbers import format_percent as babel_format_percent

    return babel_format_percent(value, locale=babel_locale_code(language or _language))


def language_name(language: str) -> str:
    """The language's own name for itself ('Español', 'العربية')."""
    from babel import Locale, UnknownLocaleError

    if language == PSEUDO_LANGUAGE:
        return "[Ƥşḗŭḓǿ]"
    try:
        name = Locale.parse(babel_locale_code(language)).get_display_name()
    except (ValueError, UnknownLocaleError):
        return language
    return (name or language)[:1].upper() + (name or language)[1:]


def title_in_language(title: str, title_locale: str, wanted_locale: str) -> str:
    """``title``, saying which language it is in when that is not the one asked for
    (a text not yet translated opens in its source language)."""
    if (
        not wanted_locale
        or not title_locale
        or base_language(title_locale) == base_language(wanted_locale)
    ):
        return title
    return _("{title} (in {language})").format(title=title, language=language_name(title_locale))
