"""Reading module bodies: the Markdown parser and what a body refers to.

The same token stream feeds the check (terms, citations, links, numbers, each
with its line) and the renderer, so both see the text the same way.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from sdm_app.content.numbers import find_numbers

# [[term-id]] or [[term-id|shown words]]; [@source-id]
TERM = re.compile(r"\[\[([^\[\]|\n]+?)(?:\|([^\[\]\n]*?))?\]\]")
CITATION = re.compile(r"\[@([^\[\]\s]+?)\]")

ALLOWED_SCHEMES = ("https", "module")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
# Links as written, including those markdown-it refuses to make (javascript:, file:).
_LINK_TARGET = re.compile(r"(!?)\[[^\]\n]*\]\(\s*<?([^\s)>]*)")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    # 'js-default' turns raw HTML off: authors' tags come out as text.
    return MarkdownIt("js-default")


def parse(body: str) -> list[Token]:
    return parser().parse(body)


def link_scheme(href: str) -> str | None:
    match = _SCHEME.match(href)
    return match.group(1).lower() if match else None


def is_allowed_link(href: str) -> bool:
    scheme = link_scheme(href)
    if scheme == "https":
        return href[len("https:") :].startswith("//")
    return scheme == "module" and len(href) > len("module:")


@dataclass(slots=True)
class Block:
    """A paragraph, list item, table row or heading: the unit that must cite."""

    line: int
    numbers: list[tuple[str, int]] = field(default_factory=list)  # (number, line)
    cites: bool = False
    words: list[str] = field(default_factory=list)  # the visible text, in pieces

    def reading_text(self) -> str:
        """The block as readers see it: words of term marks, no citation marks."""
        return readable(" ".join(self.words))


@dataclass(slots=True)
class BodyFacts:
    terms: list[tuple[str, int]] = field(default_factory=list)
    citations: list[tuple[str, int]] = field(default_factory=list)
    links: list[tuple[str, int]] = field(default_factory=list)  # hrefs as written
    images: list[int] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)

    def numbers(self) -> list[tuple[str, int]]:
        return [number for block in self.blocks for number in block.numbers]


_CONTAINERS = ("list_item_open", "tr_open", "heading_open")


class _Lines:
    """File lines of offsets in one text: the newlines are found once, then each
    offset is a binary search (counting from the start each time is quadratic)."""

    def __init__(self, content: str, first_line: int) -> None:
        self._breaks = [index for index, char in enumerate(content) if char == "\n"]
        self._first = first_line

    def at(self, offset: int) -> int:
        return self._first + bisect.bisect_left(self._breaks, max(offset, 0))


# Limits on one paragraph (or other block), checked before Markdown is parsed: the
# parser's emphasis matching, and the reading view's layout of nested emphasis, take
# time that grows with the square of these.
MAX_BLOCK_CHARS = 20_000
MAX_EMPHASIS_MARKS = 400
# Limits on a whole module, so that the reading view lays out any module within them
# in under 200 ms (benchmarks/bench_render.py); the longest bundled module has about
# 5,400 characters and 200 emphasis marks.
MAX_MODULE_CHARS = 100_000
MAX_MODULE_EMPHASIS_MARKS = 4_000


def module_size_problem(body: str) -> str | None:
    """Why a whole module is too big to read at once, or None."""
    if len(body) > MAX_MODULE_CHARS:
        return (
            f"this module has {len(body)} characters; split it into several modules "
            f"(at most {MAX_MODULE_CHARS} in one)"
        )
    marks = body.count("*") + body.count("_")
    if marks > MAX_MODULE_EMPHASIS_MARKS:
        return (
            f"this module has {marks} emphasis marks (* or _); split it into several "
            f"modules (at most {MAX_MODULE_EMPHASIS_MARKS} in one)"
        )
    return None


def complexity_problems(body: str, first_line: int) -> list[tuple[int, str]]:
    """``(line, message)`` for each block over the limits; empty when the body is fine."""
    problems: list[tuple[int, str]] = []
    line = first_line
    for block in re.split(r"(\n[ \t]*\n)", body):
        if not block.strip() or block.strip() == "":
            line += block.count("\n")
            continue
        marks = block.count("*") + block.count("_")
        if len(block) > MAX_BLOCK_CHARS:
            problems.append(
                (
                    line,
                    f"this block has {len(block)} characters; split it "
                    f"(at most {MAX_BLOCK_CHARS} in one paragraph, list item or table)",
                )
            )
        elif marks > MAX_EMPHASIS_MARKS:
            problems.append(
                (
                    line,
                    f"this block has {marks} emphasis marks (* or _); at most "
                    f"{MAX_EMPHASIS_MARKS} are allowed in one block",
                )
            )
        line += block.count("\n")
    return problems


def plain_words(text: str) -> str:
    """Text as readers see it: term marks become their words, citations vanish."""
    text = TERM.sub(lambda m: m.group(2) if m.group(2) is not None else m.group(1), text)
    return CITATION.sub(" ", text)


_SPACE_BEFORE_STOP = re.compile(r"\s+([.,;:!?])")


def readable(text: str) -> str:
    """Plain text without marks, on one line: 'weeks [@a].' reads 'weeks.'"""
    text = " ".join(plain_words(text).split())
    return _SPACE_BEFORE_STOP.sub(r"\1", text)


def scan_body(body: str, first_line: int) -> BodyFacts:
    """Everything the check needs from a body; lines are file lines."""
    return scan_tokens(parse(body), first_line)


def scan_tokens(tokens: list[Token], first_line: int) -> BodyFacts:
    """As scan_body, from tokens already parsed (the build renders the same tokens)."""
    facts = BodyFacts()
    blocks: dict[int, Block] = {}
    stack: list[tuple[int, Token]] = []
    for position, token in enumerate(tokens):
        if token.nesting == 1:
            stack.append((position, token))
        elif token.nesting == -1 and stack:
            stack.pop()
        if token.type != "inline":
            continue
        line = first_line + (token.map[0] if token.map else 0)
        # The innermost list item, table row or heading holding this text, else itself.
        key, opener_line = position, line
        for opened_at, opener in reversed(stack):
            if opener.type in _CONTAINERS:
                key = opened_at
                opener_line = first_line + (opener.map[0] if opener.map else 0)
                break
        block = blocks.get(key)
        if block is None:
            block = blocks[key] = Block(opener_line)
            facts.blocks.append(block)
        _scan_inline(token, line, block, facts)
        block.words.append(_visible_text(token))
    return facts


def _visible_text(token: Token) -> str:
    parts: list[str] = []
    for child in token.children or ():
        if child.type in ("text", "text_special", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append("".join(grandchild.content for grandchild in child.children or ()))
    return "".join(parts)


def _scan_inline(token: Token, line: int, block: Block, facts: BodyFacts) -> None:
    raw = token.content
    lines = _Lines(raw, line)
    for match in TERM.finditer(raw):
        facts.terms.append((match.group(1).strip(), lines.at(match.start())))
    for match in CITATION.finditer(raw):
        facts.citations.append((match.group(1), lines.at(match.start())))
        block.cites = True
    for match in _LINK_TARGET.finditer(raw):
        at = lines.at(match.start())
        if match.group(1):
            facts.images.append(at)
        else:
            facts.links.append((match.group(2), at))
    for match in _AUTOLINK.finditer(raw):
        facts.links.append((match.group(1), lines.at(match.start())))
    # Reference-style links ([words][label] with "[label]: target" elsewhere) only
    # show up as parsed link tokens; the ones written inline are already counted.
    written = {href for href, _at in facts.links}
    for child in token.children or ():
        if child.type == "link_open":
            href = str(child.attrGet("href") or "")
            if href not in written:
                facts.links.append((href, line))
                written.add(href)
        elif child.type == "image" and not _LINK_TARGET.search(raw):
            facts.images.append(line)
    # Numbers are looked for in the words readers see, line by line.
    for offset, text in _text_runs(token):
        for start, number in find_numbers(plain_words(text)):
            del start
            block.numbers.append((number, lines.at(offset)))


def _text_runs(token: Token) -> list[tuple[int, str]]:
    """The visible text of an inline token, with a rough offset into its source."""
    runs: list[tuple[int, str]] = []
    raw = token.content
    cursor = 0
    buffer: list[str] = []
    start = 0
    for child in token.children or ():
        if child.type in ("text", "text_special"):
            if not buffer:
                found = raw.find(child.content[:20], cursor) if child.content else -1
                start = found if found >= 0 else cursor
            buffer.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            if buffer:
                runs.append((start, "".join(buffer)))
                cursor = start + len("".join(buffer))
                buffer = []
        elif child.type == "image":
            continue
        else:
            # Emphasis and links split text; keep it joined so '[[a|b]]' stays whole.
            continue
    if buffer:
        runs.append((start, "".join(buffer)))
    return runs
