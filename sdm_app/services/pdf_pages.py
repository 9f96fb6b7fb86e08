"""Pictures of a PDF's pages, for previewing an export before it is saved.

PDFium draws the very bytes that will be written, so the preview shows the file
itself, not an approximation of it. A page is drawn only when asked for, at the
size asked for: a preview draws the pages it shows, at the screen's own pixel
size, and nothing else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import pypdfium2


class PageImage(NamedTuple):
    """One page as 32-bit pixels, bytes blue, green, red, 255 (Qt's RGB32 on
    little-endian machines); rows ``stride`` bytes apart."""

    width: int
    height: int
    stride: int
    pixels: bytes


class PdfPreviewError(Exception):
    """The PDF could not be drawn; the message says why."""


class PdfPages:
    """An open PDF whose pages are drawn one at a time, when asked for.

    Opening reads only the page sizes. Call ``close`` when done (later ``render``
    calls raise PdfPreviewError).
    """

    def __init__(self, data: bytes) -> None:
        import pypdfium2 as pdfium

        self._document: pypdfium2.PdfDocument | None
        try:
            self._document = pdfium.PdfDocument(data)
            count = len(self._document)
            # Sizes in points; PDFium reads them without loading the pages.
            self.sizes: tuple[tuple[float, float], ...] = tuple(
                self._document.get_page_size(index) for index in range(count)
            )
        except pdfium.PdfiumError as error:
            raise PdfPreviewError(str(error)) from error

    def __len__(self) -> int:
        return len(self.sizes)

    @property
    def closed(self) -> bool:
        return self._document is None

    def render(self, index: int, width: int) -> PageImage:
        """Page ``index`` (from 0) drawn ``width`` pixels wide; the height follows the
        page's shape."""
        if self._document is None:
            raise PdfPreviewError("the document is closed")
        page_width = self.sizes[index][0]
        page = self._document[index]
        try:
            # PDFium rounds the pixel size up: aim a hair below ``width`` to get it exactly.
            bitmap = page.render(scale=(max(width, 1) - 0.01) / page_width, prefer_bgrx=True)
            try:
                return PageImage(bitmap.width, bitmap.height, bitmap.stride, bytes(bitmap.buffer))
            finally:
                bitmap.close()
        finally:
            page.close()

    def close(self) -> None:
        if self._document is not None:
            self._document.close()
            self._document = None
