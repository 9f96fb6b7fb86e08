"""A preview of an exported PDF, page by page, before it is saved."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QKeySequence, QPixmap, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from sdm_app.i18n import _, format_percent, ngettext
from sdm_app.services.pdf_pages import PageImage

_ZOOMS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
# Pages are drawn at 1.5x screen size once, so zooming in stays sharp enough.
RENDER_SCALE = 1.5
PREVIEW_DOTS_PER_INCH = 96.0 * RENDER_SCALE


class PdfPreviewDialog(QDialog):
    """Shows the pages; Save accepts the dialog, and the caller writes the file."""

    def __init__(self, title: str, pages: list[PageImage], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pdfPreview")
        self.setWindowTitle(_("Preview: {title}").format(title=title))
        self._images = [
            QImage(
                page.rgb, page.width, page.height, page.stride, QImage.Format.Format_RGB888
            ).copy()
            for page in pages
        ]
        self._zoom_index = _ZOOMS.index(1.0)
        self._fitted = False

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

        self.page_labels: list[QLabel] = []
        sheet = QWidget()
        sheet.setObjectName("pdfPreviewSheet")
        column = QVBoxLayout(sheet)
        column.setSpacing(16)
        for number in range(1, len(self._images) + 1):
            label = QLabel()
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setAccessibleName(
                _("Page {number} of {total}").format(number=number, total=len(self._images))
            )
            column.addWidget(label)
            self.page_labels.append(label)
        self.pages_area = QScrollArea()
        self.pages_area.setWidget(sheet)
        self.pages_area.setWidgetResizable(True)
        self.pages_area.setAccessibleName(_("Pages of the PDF"))
        self.pages_area.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # arrows and Page Down scroll

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.addButton(
            _("&Save as PDF…"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(tools)
        layout.addWidget(self.pages_area, 1)
        layout.addWidget(buttons)
        total = len(self._images)
        self.count_label.setText(
            ngettext("{count} page", "{count} pages", total).format(count=total)
        )
        self._show_zoom()
        self.resize(760, 860)
        self.pages_area.setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._fitted and self._images:
            # Start with whole pages across: the largest zoom whose page fits the width.
            self._fitted = True
            room = self.pages_area.maximumViewportSize().width() - 40
            page_width = self._images[0].width() / RENDER_SCALE
            fitting = [i for i, zoom in enumerate(_ZOOMS) if page_width * zoom <= room]
            index = fitting[-1] if fitting else 0
            if index != self._zoom_index:
                self._zoom_index = index
                self._show_zoom()

    def _zoom_by(self, step: int) -> None:
        index = min(max(self._zoom_index + step, 0), len(_ZOOMS) - 1)
        if index != self._zoom_index:
            self._zoom_index = index
            self._show_zoom()

    def _show_zoom(self) -> None:
        zoom = _ZOOMS[self._zoom_index]
        ratio = self.devicePixelRatioF()
        for label, image in zip(self.page_labels, self._images, strict=True):
            width = round(image.width() * zoom * ratio / RENDER_SCALE)
            pixmap = QPixmap.fromImage(
                image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
            )
            pixmap.setDevicePixelRatio(ratio)
            label.setPixmap(pixmap)
        self.zoom_label.setText(format_percent(zoom))
        self.zoom_out.setEnabled(self._zoom_index > 0)
        self.zoom_in.setEnabled(self._zoom_index < len(_ZOOMS) - 1)
