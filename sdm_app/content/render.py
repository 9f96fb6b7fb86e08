"""Module bodies to restricted HTML, done once at build time.

Markdown is parsed with raw HTML off, term marks and citations become links of
our own schemes, links other than https:/module: lose their target (the words
stay), pictures become their words, and nh3 sanitises the result as a last guard.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import nh3
from markdown_it.token import Token

from sdm_app.content.markdown import CITATION, TERM, is_allowed_link, parse, parser

ALLOWED_TAGS = frozenset(
    {
        "p", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "a", "sup",
        "table", "thead", "tbody", "tr", "th", "td", "blockquote", "code", "br",
    }
)  # fmt: skip
URL_SCHEMES = frozenset({"https", "module", "term", "source"})
_SCHEME_PREFIXES = tuple(f"{scheme}:" for scheme in URL_SCHEMES)
_MARKS = re.compile(f"{TERM.pattern}|{CITATION.pattern}")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class RenderedBody:
    html: str
    text: str  # plain text as readers see it, one line, for search and snippets


def _keep_href(tag: str, attribute: str, value: str) -> str | None:
    # nh3 lets relative addresses through; we allow only our schemes.
    if tag == "a" and attribute == "href" and value.lower().startswith(_SCHEME_PREFIXES):
        return value
    return None


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes={"a": {"href"}},
        attribute_filter=_keep_href,
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )


def sanitise(html: str) -> str:
    return str(_cleaner().clean(html))


def render_body(body: str, source_ids: Sequence[str]) -> RenderedBody:
    """Render a module body; ``source_ids`` gives citation numbers (1-based)."""
    return render_tokens(parse(body), source_ids)


def render_tokens(tokens: list[Token], source_ids: Sequence[str]) -> RenderedBody:
    """As render_body, from parsed tokens (which it rewrites in place)."""
    numbers = {source_id: n for n, source_id in enumerate(source_ids, start=1)}
    words: list[str] = []
    for token in tokens:
        if token.type == "heading_open" or token.type == "heading_close":
            _clamp_heading(token)
        elif token.type == "inline":
            token.children = _rewrite_inline(token.children or [], numbers, words)
            words.append(" ")
        elif token.type in ("fence", "code_block"):
            words.append(token.content)
            words.append(" ")
    html = parser().renderer.render(tokens, parser().options, {})
    text = _SPACES.sub(" ", "".join(words)).strip()
    return RenderedBody(sanitise(html), text)


def _clamp_heading(token: Token) -> None:
    # The app's page has its own title: '#' becomes h2 and h5/h6 become h4.
    level = int(token.tag[1]) if len(token.tag) == 2 and token.tag[1].isdigit() else 2
    token.tag = f"h{min(max(level, 2), 4)}"


def _rewrite_inline(
    children: list[Token], numbers: dict[str, int], words: list[str]
) -> list[Token]:
    result: list[Token] = []
    link_depth = 0
    dropped_links = 0
    for child in children:
        if child.type == "link_open":
            href = str(child.attrs.get("href", ""))
            if link_depth == 0 and dropped_links == 0 and is_allowed_link(href):
                link_depth += 1
                result.append(child)
            else:
                dropped_links += 1
            continue
        if child.type == "link_close":
            if dropped_links:
                dropped_links -= 1
            elif link_depth:
                link_depth -= 1
                result.append(child)
            continue
        if child.type == "image":
            # No pictures at all: keep only their words.
            alt = "".join(grandchild.content for grandchild in child.children or ())
            result.append(_text(alt))
            words.append(alt)
            continue
        if child.type in ("text", "text_special") and link_depth == 0:
            result.extend(_expand_marks(child.content, numbers, words))
            continue
        if child.type in ("text", "text_special", "code_inline"):
            words.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            words.append(" ")
        result.append(child)
    return result


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _expand_marks(content: str, numbers: dict[str, int], words: list[str]) -> list[Token]:
    """Split text around [[term]] and [@source] marks into links of our schemes."""
    tokens: list[Token] = []
    cursor = 0
    for match in _MARKS.finditer(content):
        if match.start() > cursor:
            tokens.append(_text(content[cursor : match.start()]))
            words.append(content[cursor : match.start()])
        term_id, shown, source_id = match.group(1), match.group(2), match.group(3)
        if term_id is not None:
            label = shown if shown is not None and shown.strip() else term_id
            tokens.extend(_link(f"term:{term_id.strip()}", label))
            words.append(label)
        elif source_id in numbers:
            if words:
                words[-1] = words[-1].rstrip()  # 'weeks [@a].' reads 'weeks.'
            sup_open = Token("sup_open", "sup", 1)
            sup_close = Token("sup_close", "sup", -1)
            tokens.extend(
                [sup_open, *_link(f"source:{source_id}", f"[{numbers[source_id]}]"), sup_close]
            )
        else:
            tokens.append(_text(match.group()))  # unknown source: the check reports it
        cursor = match.end()
    if cursor < len(content):
        tokens.append(_text(content[cursor:]))
        words.append(content[cursor:])
    return tokens


def _link(href: str, label: str) -> list[Token]:
    link_open = Token("link_open", "a", 1)
    link_open.attrs = {"href": href}
    link_close = Token("link_close", "a", -1)
    return [link_open, _text(label), link_close]
