"""The result form: every kind of finding kept as typed, only its own fields shown,
usable by keyboard alone, and nothing cut off at 200% in English, Arabic and the
pseudo-locale."""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QStyle,
    QStyleOptionComboBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from sdm_app import i18n
from sdm_app.app import Session
from sdm_app.core.results import (
    BiomarkerKind,
    Confirmation,
    CopyNumberChange,
    Direction,
    Origin,
    Sample,
    TestResult,
    TestType,
    Therapy,
    Zygosity,
)
from sdm_app.pseudo_locale import pseudo_text
from sdm_app.ui.steps.result_dialog import KIND_FIELDS, ResultDialog
from sdm_app.ui.steps.results_step import alteration_text, result_name

LAPTOP = QRect(0, 0, 1366, 768)

# The test, shared by every example below.
TEST = {
    "test_type": TestType.TUMOUR_NORMAL,
    "test_name": "Panel 500",
    "test_method": "NGS, hybrid capture",
    "genes_covered": "523 genes",
    "specimen": "FFPE lung biopsy",
    "sample": Sample.TISSUE,
    "lab": "Central lab",
    "accession": "S24-0001",
    "collected_on": date(2024, 2, 28),
    "reported_on": date(2024, 3, 5),
    "tumour_fraction": "40",
    "origin": Origin.SOMATIC,
    "confirmation": Confirmation.NOT_GERMLINE,
    "clinician_note": "Discuss at the tumour board.\nSecond line.",
}

EXAMPLES: dict[BiomarkerKind, TestResult] = {
    BiomarkerKind.SEQUENCE_VARIANT: TestResult(
        None,
        kind=BiomarkerKind.SEQUENCE_VARIANT,
        gene="KRAS",
        alteration="G12D",
        hgvs_c="c.35G>A",
        transcript="NM_004985.5",
        hgvs_p="p.Gly12Asp",
        hgvs_g="g.25245350C>T",
        genome_build="GRCh38",
        zygosity=Zygosity.HETEROZYGOUS,
        vaf="31.20",
        scheme_id="oncokb",
        class_code="R1",
        therapies=(
            Therapy("cetuximab", Direction.RESISTANT, "R1", "Colorectal cancer"),
            Therapy("sotorasib", Direction.OTHER, "", ""),
        ),
        **TEST,  # type: ignore[arg-type]
    ),
    BiomarkerKind.COPY_NUMBER: TestResult(
        None,
        kind=BiomarkerKind.COPY_NUMBER,
        gene="CDKN2A",
        alteration="loss",
        copy_number_change=CopyNumberChange.DEEP_DELETION,
        copy_number="0.0",
        **TEST,  # type: ignore[arg-type]
    ),
    BiomarkerKind.FUSION: TestResult(
        None,
        kind=BiomarkerKind.FUSION,
        partners=("EML4", "ALK"),
        alteration="EML4::ALK variant 3",
        scheme_id="amp-asco-cap-2017",
        class_code="IA",
        therapies=(Therapy("alectinib", Direction.SENSITIVE, "1", "NSCLC"),),
        **TEST,  # type: ignore[arg-type]
    ),
    BiomarkerKind.EXPRESSION: TestResult(
        None,
        kind=BiomarkerKind.EXPRESSION,
        gene="PD-L1",
        alteration="TPS 60%",
        measure="TPS",
        value="60",
        unit="%",
        **TEST,  # type: ignore[arg-type]
    ),
    BiomarkerKind.SIGNATURE: TestResult(
        None,
        kind=BiomarkerKind.SIGNATURE,
        gene="TMB",
        alteration="TMB-high",
        value="12.30",
        unit="mut/Mb",
        **TEST,  # type: ignore[arg-type]
    ),
    BiomarkerKind.PHARMACOGENOMIC: TestResult(
        None,
        kind=BiomarkerKind.PHARMACOGENOMIC,
        gene="DPYD",
        diplotype="c.[1905+1G>A];[=]",
        activity_score="1.0",
        scheme_id="cpic-2017",
        class_code="IM",
        # A germline test that finds a germline change is its own confirmation.
        **{  # type: ignore[arg-type]
            **TEST,
            "test_type": TestType.GERMLINE,
            "origin": Origin.GERMLINE,
            "confirmation": Confirmation.CONFIRMED,
        },
    ),
    BiomarkerKind.NO_FINDING: TestResult(
        None,
        kind=BiomarkerKind.NO_FINDING,
        gene="EGFR, ALK, ROS1",
        **TEST,  # type: ignore[arg-type]
    ),
    BiomarkerKind.OTHER: TestResult(
        None,
        kind=BiomarkerKind.OTHER,
        gene="MET",
        alteration="exon 14 skipping",
        scheme_id="esmo-escat-2018",
        class_code="I-B",
        **TEST,  # type: ignore[arg-type]
    ),
}


class PseudoTranslation(gettext.NullTranslations):
    """Every string accented and 40% longer, the new ones not yet in the catalogue too."""

    def gettext(self, message: str) -> str:
        return pseudo_text(message)

    def pgettext(self, context: str, message: str) -> str:
        return pseudo_text(message)


@pytest.fixture
def app(session: Session) -> Iterator[Session]:
    yield session


def open_dialog(qtbot: QtBot, result: TestResult) -> ResultDialog:
    dialog = ResultDialog(result)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    settle()
    return dialog


def settle() -> None:
    for _ in range(5):  # layouts resize in posted events
        QApplication.processEvents()


def choose(combo: QComboBox, data: object) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def focusable(dialog: ResultDialog) -> list[QWidget]:
    return [
        widget
        for widget in dialog.focus_order()
        if widget.isVisibleTo(dialog)
        and widget.isEnabled()
        and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
    ]


# Keeping what was typed -----------------------------------------------------------------


@pytest.mark.parametrize("kind", list(BiomarkerKind), ids=str)
def test_every_kind_comes_back_as_it_was_saved(app: Session, qtbot: QtBot, kind: str) -> None:
    example = EXAMPLES[BiomarkerKind(kind)]
    saved = open_dialog(qtbot, example).test_result()
    assert saved == example
    assert open_dialog(qtbot, saved).test_result() == saved


def test_typed_fields_are_saved_exactly_as_typed(app: Session, qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, TestResult(None))
    choose(dialog.kind, BiomarkerKind.SEQUENCE_VARIANT.value)
    typed = {
        dialog.gene: " BRCA2 ",
        dialog.alteration: "c.5946delT",
        dialog.hgvs_c: "c.5946del",
        dialog.hgvs_p: "p.(Ser1982ArgfsTer22)",
        dialog.vaf: "48.0",
        dialog.tumour_fraction: "0,35",
    }
    for edit, text in typed.items():
        edit.setFocus()
        qtbot.keyClicks(edit, text)
    result = dialog.test_result()
    assert (result.gene, result.hgvs_p, result.vaf, result.tumour_fraction) == (
        " BRCA2 ",
        "p.(Ser1982ArgfsTer22)",
        "48.0",
        "0,35",
    )
    assert open_dialog(qtbot, result).test_result() == result


def test_a_fusion_is_saved_as_its_two_partners(app: Session, qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, TestResult(None))
    choose(dialog.kind, BiomarkerKind.FUSION.value)
    dialog.partner_5.setText("EML4")
    dialog.partner_3.setText("ALK")
    result = dialog.test_result()
    assert result.partners == ("EML4", "ALK")
    assert result_name(result) == "EML4::ALK"
    dialog.partner_5.clear()  # only the 3′ partner known: it stays the 3′ one
    alone = dialog.test_result()
    assert alone.partners == ("", "ALK")
    assert open_dialog(qtbot, alone).partner_3.text() == "ALK"


def test_fields_of_another_kind_are_not_saved_unseen(app: Session, qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, EXAMPLES[BiomarkerKind.SEQUENCE_VARIANT])
    choose(dialog.kind, BiomarkerKind.FUSION.value)
    dialog.partner_5.setText("EML4")
    dialog.partner_3.setText("ALK")
    result = dialog.test_result()
    assert (result.gene, result.hgvs_c, result.hgvs_p, result.vaf) == ("", "", "", "")
    assert result.zygosity is Zygosity.UNKNOWN
    assert result.alteration == "G12D"  # every kind but "no finding" has it
    assert result.tumour_fraction == "40" and result.lab == "Central lab"
    choose(dialog.kind, BiomarkerKind.SEQUENCE_VARIANT.value)
    assert dialog.test_result().hgvs_c == "c.35G>A"  # still there until saved


def test_the_list_names_results_by_their_kind(app: Session) -> None:
    assert result_name(EXAMPLES[BiomarkerKind.FUSION]) == "EML4::ALK"
    loss = TestResult(None, kind=BiomarkerKind.COPY_NUMBER, gene="CDKN2A", copy_number="0")
    assert alteration_text(loss) == "0"
    deep = TestResult(
        None,
        kind=BiomarkerKind.COPY_NUMBER,
        copy_number_change=CopyNumberChange.DEEP_DELETION,
        copy_number="0",
    )
    assert alteration_text(deep) == "Deep deletion (both copies lost) 0"
    tps = TestResult(None, kind=BiomarkerKind.EXPRESSION, measure="TPS", value="60", unit="%")
    assert alteration_text(tps) == "TPS 60 %"
    dpyd = TestResult(None, kind=BiomarkerKind.PHARMACOGENOMIC, diplotype="*1/*2A")
    assert alteration_text(dpyd) == "*1/*2A"


# Which fields show ---------------------------------------------------------------------


def test_only_the_fields_of_the_chosen_kind_show(app: Session, qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, TestResult(None))
    for kind in BiomarkerKind:
        choose(dialog.kind, kind.value)
        shown = {name for name, field in dialog.finding_rows if field.isVisibleTo(dialog)}
        assert shown == set(KIND_FIELDS[kind]) - {"partners"} | (
            {"partners"} if kind is BiomarkerKind.FUSION else set()
        ), kind
        assert dialog.tumour_fraction.isVisibleTo(dialog)


def test_pharmacogenomic_result_offers_cpic_phenotypes(app: Session, qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, TestResult(None))
    choose(dialog.kind, BiomarkerKind.PHARMACOGENOMIC.value)
    assert dialog.scheme.currentData() == "cpic-2017"
    choose(dialog.class_code, "IM")
    assert dialog.test_result().class_code == "IM"
    # A scheme already chosen is left alone.
    dialog = open_dialog(qtbot, TestResult(None, scheme_id="acmg-amp-2015"))
    choose(dialog.kind, BiomarkerKind.PHARMACOGENOMIC.value)
    assert dialog.scheme.currentData() == "acmg-amp-2015"


def test_unknown_scheme_and_class_are_kept_as_written(app: Session, qtbot: QtBot) -> None:
    result = TestResult(None, gene="X", scheme_id="lab-own", class_code="Tier 9")
    assert open_dialog(qtbot, result).test_result() == result


# Germline confirmation ----------------------------------------------------------------


def test_confirmation_follows_test_and_origin_until_chosen(app: Session, qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, TestResult(None))
    assert dialog.confirmation.currentData() == Confirmation.NOT_ASSESSED.value
    choose(dialog.test_type, TestType.GERMLINE.value)
    choose(dialog.origin, Origin.GERMLINE.value)
    assert dialog.confirmation.currentData() == Confirmation.CONFIRMED.value
    choose(dialog.test_type, TestType.TUMOUR_ONLY.value)
    assert dialog.confirmation.currentData() == Confirmation.RECOMMENDED.value
    choose(dialog.test_type, TestType.TUMOUR_NORMAL.value)
    choose(dialog.origin, Origin.SOMATIC.value)
    assert dialog.confirmation.currentData() == Confirmation.NOT_GERMLINE.value
    # The user's own choice, by keyboard, is kept from then on.
    dialog.confirmation.setFocus()
    qtbot.keyClick(dialog.confirmation, Qt.Key.Key_Home)
    assert dialog.confirmation.currentData() == Confirmation.NOT_ASSESSED.value
    choose(dialog.origin, Origin.GERMLINE.value)
    assert dialog.confirmation.currentData() == Confirmation.NOT_ASSESSED.value


def test_a_stored_choice_of_confirmation_is_not_overwritten(app: Session, qtbot: QtBot) -> None:
    result = TestResult(
        1,
        test_type=TestType.TUMOUR_ONLY,
        origin=Origin.LIKELY_GERMLINE,
        confirmation=Confirmation.CONFIRMED,  # a later germline test found it
    )
    dialog = open_dialog(qtbot, result)
    choose(dialog.origin, Origin.GERMLINE.value)
    assert dialog.confirmation.currentData() == Confirmation.CONFIRMED.value


# Treatments by keyboard -----------------------------------------------------------------


def test_treatments_are_added_and_removed_by_keyboard(app: Session, qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, TestResult(None, gene="KRAS", scheme_id="oncokb"))
    choose(dialog.class_code, "R1")
    dialog.add_therapy.setFocus()
    qtbot.keyClick(dialog.add_therapy, Qt.Key.Key_Space)
    (row,) = dialog.therapy_rows
    assert QApplication.focusWidget() is row.name
    qtbot.keyClicks(row.name, "cetuximab")
    # Under a resistance level the new treatment is one not expected to work.
    assert row.direction.currentData() == Direction.RESISTANT.value
    qtbot.keyClick(row.name, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is row.direction
    qtbot.keyClick(row.direction, Qt.Key.Key_Home)
    assert row.direction.currentData() == Direction.SENSITIVE.value
    qtbot.keyClick(row.direction, Qt.Key.Key_Down)
    qtbot.keyClick(row.direction, Qt.Key.Key_Tab)
    qtbot.keyClicks(row.level, "R1")
    qtbot.keyClick(row.level, Qt.Key.Key_Tab)
    qtbot.keyClicks(row.tumour_type, "Colorectal cancer")
    qtbot.keyClick(row.tumour_type, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is row.remove
    qtbot.keyClick(row.remove, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.add_therapy
    qtbot.keyClick(dialog.add_therapy, Qt.Key.Key_Space)
    assert dialog.test_result().therapies == (
        Therapy("cetuximab", Direction.RESISTANT, "R1", "Colorectal cancer"),
    )  # the second row has no name yet: not a treatment
    assert len(dialog.therapy_rows) == 2
    first = dialog.therapy_rows[0]
    first.remove.setFocus()
    qtbot.keyClick(first.remove, Qt.Key.Key_Space)
    assert len(dialog.therapy_rows) == 1
    assert QApplication.focusWidget() is dialog.therapy_rows[0].name
    assert dialog.therapy_rows[0].name.accessibleName() == "Treatment 1: name"
    qtbot.keyClick(dialog.therapy_rows[0].name, Qt.Key.Key_Tab, Qt.KeyboardModifier.NoModifier)
    dialog.therapy_rows[0].remove.setFocus()
    qtbot.keyClick(dialog.therapy_rows[0].remove, Qt.Key.Key_Space)
    assert dialog.therapy_rows == []
    assert QApplication.focusWidget() is dialog.add_therapy
    assert dialog.test_result().therapies == ()


def test_a_treatment_under_an_actionable_level_has_no_preset_direction(
    app: Session, qtbot: QtBot
) -> None:
    dialog = open_dialog(qtbot, TestResult(None, scheme_id="oncokb", class_code="1"))
    dialog.add_therapy.click()
    assert dialog.therapy_rows[0].direction.currentData() == Direction.OTHER.value


# Keyboard and names ---------------------------------------------------------------------


def _mnemonic(text: str) -> str:
    position = text.replace("&&", "").find("&")
    return text.replace("&&", "")[position + 1].casefold() if position >= 0 else ""


@pytest.mark.parametrize("kind", list(BiomarkerKind), ids=str)
def test_every_field_is_named_and_mnemonics_do_not_clash(
    app: Session, qtbot: QtBot, kind: str
) -> None:
    dialog = open_dialog(qtbot, EXAMPLES[BiomarkerKind(kind)])
    keys = [
        _mnemonic(label.text())
        for label in dialog.findChildren(QLabel)
        if label.isVisibleTo(dialog) and label.buddy() is not None
    ]
    keys += [
        _mnemonic(button.text())
        for button in dialog.findChildren(QAbstractButton)
        if button.isVisibleTo(dialog)
    ]
    used = [key for key in keys if key]
    assert len(used) == len(set(used)), sorted(used)
    # Letters run out: only these rarely typed fields are reached by Tab alone.
    without = {
        label.text()
        for label in dialog.findChildren(QLabel)
        if label.isVisibleTo(dialog) and label.buddy() is not None and "&" not in label.text()
    }
    assert without <= {"Method", "Lab reference (accession)"}
    unnamed = [
        type(widget).__name__
        for widget in focusable(dialog)
        if not widget.accessibleName()
        and not (isinstance(widget, QAbstractButton) and widget.text())
    ]
    assert unnamed == []


def test_a_mnemonic_moves_to_its_field(app: Session, qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, EXAMPLES[BiomarkerKind.SEQUENCE_VARIANT])
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.test_type)
    qtbot.keyClick(dialog.test_type, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is dialog.gene
    qtbot.keyClick(dialog.gene, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is dialog.class_code


@pytest.mark.parametrize("kind", list(BiomarkerKind), ids=str)
def test_tab_visits_every_visible_field_once_in_reading_order(
    app: Session, qtbot: QtBot, kind: str
) -> None:
    dialog = open_dialog(qtbot, EXAMPLES[BiomarkerKind(kind)])
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.test_type)
    visited: list[QWidget] = []
    for _ in range(200):
        widget = QApplication.focusWidget()
        assert widget is not None
        if visited and widget is visited[0]:
            break
        visited.append(widget)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    expected = focusable(dialog)
    assert visited == expected


def test_enter_in_a_field_saves_the_result(app: Session, qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, TestResult(None))
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isDefault()
    dialog.gene.setFocus()
    qtbot.keyClicks(dialog.gene, "EGFR")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.gene, Qt.Key.Key_Return)


# Nothing cut off --------------------------------------------------------------------------


def _label_cut(label: QLabel) -> str:
    text = label.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
    metrics = label.fontMetrics()
    width = label.contentsRect().width()
    if not label.wordWrap():
        return text if metrics.horizontalAdvance(text) > width else ""
    widest_word = max((metrics.horizontalAdvance(word) for word in text.split()), default=0)
    if widest_word > width or label.heightForWidth(width) > label.contentsRect().height():
        return text
    return ""


def _combo_cut(combo: QComboBox) -> str:
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    text = combo.currentText()
    return text if combo.fontMetrics().horizontalAdvance(text) > field.width() else ""


@pytest.mark.parametrize("language", ["en", "ar", "en_XA"])
def test_nothing_is_cut_off_at_200_percent_on_a_laptop(
    app: Session, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    app.controller.apply_language(language)
    if language == i18n.PSEUDO_LANGUAGE:
        monkeypatch.setattr(i18n, "_translation", PseudoTranslation())
    app.controller.apply_text_scale(200)
    for example in EXAMPLES.values():
        dialog = ResultDialog(example)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.fit_to(LAPTOP)
        settle()
        where = f"{language} {example.kind}"
        assert dialog.width() <= LAPTOP.width() and dialog.height() <= LAPTOP.height(), where
        assert dialog.width() > LAPTOP.width() // 2, where  # no narrow form at 200%
        assert dialog.scroll_area.horizontalScrollBar().maximum() == 0, where
        assert dialog.isRightToLeft() == (language == "ar")
        labels = [w for w in dialog.findChildren(QLabel) if w.isVisibleTo(dialog)]
        assert [cut for label in labels if (cut := _label_cut(label))] == [], where
        combos = [w for w in dialog.findChildren(QComboBox) if w.isVisibleTo(dialog)]
        assert [cut for combo in combos if (cut := _combo_cut(combo))] == [], where
        buttons = [w for w in dialog.findChildren(QAbstractButton) if w.isVisibleTo(dialog)]
        assert [b.text() for b in buttons if b.sizeHint().width() > b.width() + 1] == [], where
        for group in dialog.findChildren(QGroupBox):
            title = group.fontMetrics().horizontalAdvance(group.title())
            assert title < group.width(), where
        dialog.close()
        dialog.deleteLater()


def test_the_dialog_fits_the_screen_at_100_percent(app: Session, qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, EXAMPLES[BiomarkerKind.SEQUENCE_VARIANT])
    dialog.fit_to(LAPTOP)
    settle()
    assert 500 < dialog.width() <= LAPTOP.width()
    assert dialog.scroll_area.horizontalScrollBar().maximum() == 0
    labels = [w for w in dialog.findChildren(QLabel) if w.isVisibleTo(dialog)]
    assert [cut for label in labels if (cut := _label_cut(label))] == []
