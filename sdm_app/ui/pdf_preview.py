"""A preview of an exported PDF, page by page, before it is saved.

A page is drawn by PDFium only when it scrolls into view, once for each size it is
shown at, and at the screen's own pixel size (device pixel ratio included), so it
is never scaled afterwards. Pages out of view are dropped when the pictures kept
would pass a memory budget.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from sdm_app.i18n import _, format_percent, ngettext
from sdm_app.services.pdf_pages import PdfPages, PdfPreviewError

_ZOOMS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
# At 100% a page is as large as printed on a 96 dpi screen.
SCREEN_DOTS_PER_INCH = 96.0
PAGE_GAP = 16
# Pictures of pages out of view are kept up to this many bytes (about 13 A4 pages
# at 100%); the pages in view are always kept.
CACHE_BUDGET = 48 * 1024 * 1024


class PageImageCache:
    """Pictures of the pages of ``pages``, each drawn when first asked for at a size.

    ``drawn`` lists every picture PDFium has drawn, as (page index, width in
    pixels): tests and the benchmark read it to see what was drawn and when.
    """

    def __init__(self, pages: PdfPages, budget: int = CACHE_BUDGET) -> None:
        self._pages = pages
        self._budget = budget
        self._images: OrderedDict[int, QImage] = OrderedDict()  # least recently used first
        self.drawn: list[tuple[int, int]] = []

    def __len__(self) -> int:
        return len(self._pages)

    def cached_pages(self) -> list[int]:
        return sorted(self._images)

    def image(self, index: int, width: int, in_view: Callable[[int], bool]) -> QImage | None:
        """Page ``index`` ``width`` pixels wide, drawn now unless kept from before;
        None once the document is closed."""
        image = self._images.get(index)
        if image is not None and image.width() == width:
            self._images.move_to_end(index)
            return image
        try:
            page = self._pages.render(index, width)
        except PdfPreviewError:
            return None
        # Little-endian BGRx bytes are Qt's RGB32 words, its fastest format to paint.
        image = QImage(
            page.pixels, page.width, page.height, page.stride, QImage.Format.Format_RGB32
        ).copy()
        self.drawn.append((index, width))
        self._images[index] = image
        self._images.move_to_end(index)
        self._trim(in_view)
        return image

    def _trim(self, in_view: Callable[[int], bool]) -> None:
        used = sum(image.sizeInBytes() for image in self._images.values())
        for index in list(self._images):
            if used <= self._budget:
                break
            if not in_view(index):
                used -= self._images.pop(index).sizeInBytes()

    def clear(self) -> None:
        self._images.clear()


class PageView(QWidget):
    """One page: drawn by PDFium the first time it is painted at its present size."""

    def __init__(self, cache: PageImageCache, index: int, in_view: Callable[[int], bool]) -> None:
        super().__init__()
        self._cache = cache
        self.index = index
        self._in_view = in_view
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        ratio = self.devicePixelRatioF()
        image = self._cache.image(self.index, round(self.width() * ratio), self._in_view)
        if image is None:
            painter.fillRect(self.rect(), QColor(Qt.GlobalColor.white))
            return
        # Drawn pixel for pixel: the picture was made at the screen's pixel size.
        image.setDevicePixelRatio(ratio)
        painter.drawImage(0, 0, image)
        spare = self.height() - round(image.height() / ratio)
        if spare > 0:  # a rounding pixel at the foot
            painter.fillRect(0, self.height() - spare, self.width(), spare, Qt.GlobalColor.white)


class PdfPreviewDialog(QDialog):
    """Shows the pages; Save accepts the dialog, and the caller writes the file.

    The dialog draws from ``pages`` while it is open and closes it when it is done.
    """

    def __init__(
        self,
        title: str,
        pages: PdfPages,
        parent: QWidget | None = None,
        *,
        cache_budget: int = CACHE_BUDGET,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("pdfPreview")
        self.setWindowTitle(_("Preview: {title}").format(title=title))
        self._pages = pages
        self.cache = PageImageCache(pages, cache_budget)
        self._zoom_index = _ZOOMS.index(1.0)
        self._fitted = False
        self._current = 0

        self.count_label = QLabel()
        self.zoom_out = QPushButton(_("Smaller"))
        self.zoom_in = QPushButton(_("Larger"))
        self.zoom_label = QLabel()
        self.zoom_out.clicked.connect(lambda: self._zoom_by(-1))
        self.zoom_in.clicked.connect(lambda: self._zoom_by(1))
        QShortcut(QKeySequence.StandardKey.ZoomIn, self, lambda: self._zoom_by(1))
        QShortcut(QKeySequence.StandardKey.ZoomOut, self, lambda: self._zoom_by(-1))
        tools = QHBoxLayout()
        tools.addWidget(self.count_label, 1)
        tools.addWidget(self.zoom_out)
        tools.addWidget(self.zoom_label)
        tools.addWidget(self.zoom_in)

        total = len(pages)
        self.page_views: list[PageView] = []
        self._sheet = QWidget()
        self._sheet.setObjectName("pdfPreviewSheet")
        self._column = QVBoxLayout(self._sheet)
        self._column.setSpacing(PAGE_GAP)
        for index in range(total):
            view = PageView(self.cache, index, self.page_in_view)
            view.setAccessibleName(
                _("Page {number} of {total}").format(number=index + 1, total=total)
            )
            self._column.addWidget(view, 0, Qt.AlignmentFlag.AlignHCenter)
            self.page_views.append(view)
        self.pages_area = QScrollArea()
        self.pages_area.setWidget(self._sheet)
        self.pages_area.setWidgetResizable(True)
        self.pages_area.setAccessibleName(_("Pages of the PDF"))
        self.pages_area.setAccessibleDescription(
            ngettext("{count} page", "{count} pages", total).format(count=total)
        )
        self.pages_area.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # arrows and Page Down scroll
        self.pages_area.verticalScrollBar().valueChanged.connect(self._show_current_page)
        # Whole pages: Ctrl+Page Down and Ctrl+Page Up, Home and End (as in PDF readers).
        for keys, step in (
            (("Ctrl+PgDown",), 1),
            (("Ctrl+PgUp",), -1),
            (("Home", "Ctrl+Home"), -total),
            (("End", "Ctrl+End"), total),
        ):
            for key in keys:
                shortcut = QShortcut(QKeySequence(key), self.pages_area)
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.activated.connect(lambda step=step: self.go_to_page(self._current + step))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.addButton(
            _("&Save as PDF…"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.finished.connect(self._on_finished)

        layout = QVBoxLayout(self)
        layout.addLayout(tools)
        layout.addWidget(self.pages_area, 1)
        layout.addWidget(buttons)
        self._show_zoom()
        self._show_current_page()
        self.resize(760, 860)
        self.pages_area.setFocus()

    @property
    def current_page(self) -> int:
        """The page (from 0) that fills most of the view."""
        return self._current

    def page_in_view(self, index: int) -> bool:
        return self._view_rect().intersects(self.page_views[index].geometry())

    def go_to_page(self, index: int) -> None:
        """Scroll so that page ``index`` (from 0, clamped) starts at the top of the view."""
        if not self.page_views:
            return
        index = min(max(index, 0), len(self.page_views) - 1)
        self._column.activate()  # page places after a zoom not yet laid out
        bar = self.pages_area.verticalScrollBar()
        bar.setValue(self.page_views[index].y() - PAGE_GAP // 2)
        self._show_current_page()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._fitted and self.page_views:
            # Start with whole pages across: the largest zoom whose page fits the width.
            self._fitted = True
            room = self.pages_area.maximumViewportSize().width() - 40
            page_width = self._pages.sizes[0][0] / 72.0 * SCREEN_DOTS_PER_INCH
            fitting = [i for i, zoom in enumerate(_ZOOMS) if page_width * zoom <= room]
            index = fitting[-1] if fitting else 0
            if index != self._zoom_index:
                self._zoom_index = index
                self._show_zoom()

    def _view_rect(self) -> QRect:
        """The part of the sheet of pages in view, in the sheet's coordinates."""
        viewport = self.pages_area.viewport()
        return QRect(-self._sheet.x(), -self._sheet.y(), viewport.width(), viewport.height())

    def _show_current_page(self) -> None:
        view = self._view_rect()
        best, shown = self._current, -1
        for index, page in enumerate(self.page_views):
            height = view.intersected(page.geometry()).height()
            if height > shown:
                best, shown = index, height
        self._current = best
        self.count_label.setText(
            _("Page {number} of {total}").format(number=best + 1, total=len(self.page_views))
        )

    def _zoom_by(self, step: int) -> None:
        index = min(max(self._zoom_index + step, 0), len(_ZOOMS) - 1)
        if index != self._zoom_index:
            self._zoom_index = index
            self._show_zoom()

    def _show_zoom(self) -> None:
        """Size the pages for the zoom (each is drawn when next painted), keeping the
        place in the current page."""
        zoom = _ZOOMS[self._zoom_index]
        current = self._current
        place = 0.0
        if self.page_views:
            page = self.page_views[current]
            offset = self.pages_area.verticalScrollBar().value() - page.y()
            place = offset / page.height() if page.height() else 0.0
        for view, (width, height) in zip(self.page_views, self._pages.sizes, strict=True):
            scale = zoom * SCREEN_DOTS_PER_INCH / 72.0
            view.setFixedSize(round(width * scale), round(height * scale))
        if self.page_views and self.isVisible():
            # Lay out now, as the scroll area would later, so the place can be kept.
            self._column.activate()
            self._sheet.resize(self._sheet.sizeHint().expandedTo(self.pages_area.viewport().size()))
            page = self.page_views[current]
            self.pages_area.verticalScrollBar().setValue(page.y() + round(place * page.height()))
            self._show_current_page()
        self.zoom_label.setText(format_percent(zoom))
        self.zoom_out.setEnabled(self._zoom_index > 0)
        self.zoom_in.setEnabled(self._zoom_index < len(_ZOOMS) - 1)

    def _on_finished(self, _result: int) -> None:
        # Nothing more is shown: free the pictures and PDFium's copy of the document.
        self.cache.clear()
        self._pages.close()
