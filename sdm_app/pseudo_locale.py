"""The pseudo-locale catalogue: every UI string accented, longer and bracketed.

Screenshots in it show at a glance what escaped translation (plain English),
what was joined from pieces (brackets inside a sentence) and what is clipped
(a missing closing bracket). It is made from the template, never by hand.
"""

from __future__ import annotations

import math
import re
from io import BytesIO
from pathlib import Path

from sdm_app.i18n import DOMAIN, PSEUDO_LANGUAGE

_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "ȧƀƈḓḗƒɠħīĵķŀḿƞǿƥɋřşŧŭṽẇẋẏẑȦƁƇḒḖƑƓĦĪĴĶĿḾȠǾƤɊŘŞŦŬṼẆẊẎẐ",
)
_VOWELS = frozenset("aeiouAEIOU")
# Kept exactly: placeholders, markup tags, entities, %-formats and newlines.
_PROTECTED = re.compile(r"\{[^{}]*\}|<[^<>]*>|&[a-zA-Z]+;|&#\d+;|%\(?\w*\)?[sd]|\n")
_EXPANSION = 0.4
_PADDING = "·"


def pseudo_text(text: str) -> str:
    """``text`` accented, about 40% longer and in brackets, placeholders untouched."""
    if not text:
        return text
    pieces: list[str] = []
    position = 0
    grown = 0
    for match in _PROTECTED.finditer(text):
        words, added = _accent(text[position : match.start()])
        pieces.extend((words, match.group()))
        grown += added
        position = match.end()
    words, added = _accent(text[position:])
    pieces.append(words)
    grown += added
    visible = len(_PROTECTED.sub("", text))
    missing = math.ceil(visible * _EXPANSION) - grown
    padding = f" {_PADDING * missing}" if missing > 0 else ""
    return f"[{''.join(pieces)}{padding}]"


def _accent(words: str) -> tuple[str, int]:
    """Accent letters and double vowels, so words grow where they are."""
    out: list[str] = []
    added = 0
    for char in words:
        accented = char.translate(_ACCENTED)
        out.append(accented)
        if char in _VOWELS:
            out.append(accented)
            added += 1
    return "".join(out), added


def build_pseudo_catalogue(template: Path) -> bytes:
    """The pseudo-locale ``.po`` file for ``template`` (a ``.pot``), as bytes."""
    from babel.messages.pofile import read_po, write_po

    with template.open("rb") as handle:
        catalogue = read_po(handle, locale="en", domain=DOMAIN)
    catalogue.locale = None
    catalogue.fuzzy = False
    catalogue.header_comment = (
        "# Pseudo-locale for checking the UI; made by `sdm-app i18n pseudo`. Do not edit."
    )
    catalogue.language_team = "Pseudo-locale (generated) <none>"
    for message in catalogue:
        if not message.id:
            continue
        if isinstance(message.id, tuple | list):
            message.string = (pseudo_text(message.id[0]), pseudo_text(message.id[1]))
        else:
            message.string = pseudo_text(message.id)
        message.flags.discard("fuzzy")
    out = BytesIO()
    write_po(out, catalogue, width=76, sort_by_file=True, ignore_obsolete=True, omit_header=False)
    return _with_header(out.getvalue())


def _with_header(po: bytes) -> bytes:
    """English plural rules and the pseudo-locale's code in the header."""
    text = po.decode("utf-8")
    text = re.sub(r'"Language: [^"]*\\n"\n', "", text)
    text = re.sub(r'"Plural-Forms: [^"]*\\n"\n', "", text)
    # The file names its maker, not Babel's version, so any Babel remakes it unchanged.
    text = re.sub(
        r'"Generated-By: [^"]*\\n"\n',
        lambda _match: '"Generated-By: sdm-app i18n pseudo\\n"\n',
        text,
    )
    text = text.replace(
        '"MIME-Version: 1.0\\n"\n',
        f'"Language: {PSEUDO_LANGUAGE}\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
        '"MIME-Version: 1.0\\n"\n',
        1,
    )
    return text.encode("utf-8")


def write_pseudo_catalogue(locales_root: Path) -> Path:
    """Regenerate the pseudo-locale catalogue from ``sdm_app.pot``."""
    target = locales_root / PSEUDO_LANGUAGE / "LC_MESSAGES" / f"{DOMAIN}.po"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(build_pseudo_catalogue(locales_root / f"{DOMAIN}.pot"))
    return target
