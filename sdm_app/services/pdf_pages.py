"""Pictures of a PDF's pages, for previewing an export before it is saved.

PDFium draws the very bytes that will be written, so the preview shows the file
itself, not an approximation of it.
"""

from __future__ import annotations

from typing import NamedTuple


class PageImage(NamedTuple):
    """One page as 8-bit RGB pixels, rows ``stride`` bytes apart."""

    width: int
    height: int
    stride: int
    rgb: bytes


class PdfPreviewError(Exception):
    """The PDF could not be drawn; the message says why."""


def render_pages(data: bytes, dots_per_inch: float = 96.0) -> list[PageImage]:
    """Every page of the PDF ``data``, drawn at ``dots_per_inch``."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise PdfPreviewError(str(error)) from error
    pages: list[PageImage] = []
    try:
        for page in document:
            bitmap = page.render(scale=dots_per_inch / 72.0, rev_byteorder=True)
            pages.append(
                PageImage(bitmap.width, bitmap.height, bitmap.stride, bytes(bitmap.buffer))
            )
            bitmap.close()
            page.close()
    finally:
        document.close()
    return pages
