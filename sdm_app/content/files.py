"""Reading content files: text decoding and splitting a module's header from its body."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MAX_FILE_BYTES = 5 * 1024 * 1024


class UnreadableFile(Exception):
    """The file is not UTF-8 text; the message says why, for authors."""


def read_text(path: Path) -> str:
    """The file as text with '\\n' line ends; raises UnreadableFile or OSError."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise UnreadableFile(f"the file is {size // 1024} KB; content files must be under 5 MB")
    data = path.read_bytes()
    if b"\x00" in data:
        raise UnreadableFile("the file is not text (it contains binary data)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFile(
            f"the file is not UTF-8 text (byte {error.start}); save it as UTF-8"
        ) from None
    # Lines are counted on '\n' everywhere (YAML, Markdown, problems).
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True, slots=True)
class SplitModule:
    header: str
    header_line: int  # file line of the header's first line
    body: str
    body_line: int  # file line of the body's first line


class MissingHeader(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def split_front_matter(text: str) -> SplitModule:
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise MissingHeader("the file must start with a header between two '---' lines", 1)
    for number, line in enumerate(lines[1:], start=1):
        if line.rstrip() in ("---", "..."):
            header = "\n".join(lines[1:number])
            body = "\n".join(lines[number + 1 :])
            return SplitModule(header, 2, body, number + 2)
    raise MissingHeader("the header has no closing '---' line", 1)
