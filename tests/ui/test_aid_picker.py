"""The decision aid picker of a consultation: the aids written for its condition and
biomarkers come first, and choosing one written for something else shows a calm
notice on screen (not only a tooltip). The figures of the chosen aid show their
certainty and why, and the comparator's figure with the difference."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "content"))

from aidfactory import AID_EN, aid_files
from packfactory import valid_files, write_pack

from sdm_app import i18n, paths
from sdm_app.app import Session, StartupProblem, create_application, start_session
from sdm_app.core.aid_fit import Fit
from sdm_app.core.consultation import Context, Step
from sdm_app.core.results import Origin, TestResult
from sdm_app.core.written_options import WRITTEN_OPTIONS
from sdm_app.ui.steps.options_step import OptionsStep

LUNG_AID = "first-treatment"  # lung cancer, EGFR; "Choosing a first treatment"
BREAST_AID = "after-brca"  # breast cancer, BRCA1/BRCA2; "A choice after a BRCA result"
OPEN_AID = "any-choice"  # no applies_to; "Deciding about a test"


def _aid(aid_id: str, title: str, applies_to: str) -> str:
    text = str(AID_EN).replace("id: first-treatment", f"id: {aid_id}", 1)
    text = text.replace("title: Choosing a first treatment", f"title: {title}", 1)
    return text.replace(
        "applies_to:\n  conditions: [lung cancer]\n  biomarkers: [EGFR]\n", applies_to, 1
    )


@pytest.fixture(scope="module")
def content_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from sdm_app.content.build import build_content_db

    root = tmp_path_factory.mktemp("picker-content")
    files: dict[str, str | bytes] = dict(valid_files())
    files.update(aid_files())
    files["decision-aids/after-brca.en.yaml"] = _aid(
        BREAST_AID,
        "A choice after a BRCA result",
        "applies_to:\n  conditions: [breast cancer]\n  biomarkers: [BRCA1, BRCA2]\n",
    )
    files["decision-aids/any-choice.en.yaml"] = _aid(OPEN_AID, "Deciding about a test", "")
    write_pack(root / "core", files)
    out = root.parent / f"{root.name}.db"
    build_content_db(root, out)
    return out


@pytest.fixture
def picker_session(
    qtbot: QtBot, content_db: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Session]:
    monkeypatch.setenv(paths.ENV_CONTENT_DB, str(content_db))
    started = start_session(create_application())
    assert started is not None and not isinstance(started, StartupProblem), started
    qtbot.addWidget(started.window)
    started.window.resize(1100, 800)
    started.window.show()
    qtbot.waitExposed(started.window)
    yield started
    started.controller.apply_language("en")
    started.library.close()
    started.database.close()


def _options(session: Session, condition: str, *results: TestResult) -> OptionsStep:
    page = session.window.consultations_page
    session.window.show_page("consultations")
    page.new_button.click()
    page.model.update(context=Context(condition=condition), results=results)
    page.show_step(Step.OPTIONS)
    options = page.steps[Step.OPTIONS]
    assert isinstance(options, OptionsStep)
    return options


def _entries(options: OptionsStep) -> list[tuple[str, object, bool]]:
    combo = options.aid_combo
    model = combo.model()
    return [
        (
            combo.itemText(row),
            combo.itemData(row),
            bool(model.flags(model.index(row, 0)) & Qt.ItemFlag.ItemIsEnabled),
        )
        for row in range(combo.count())
    ]


def _choose(options: OptionsStep, aid_id: str) -> None:
    combo = options.aid_combo
    combo.setCurrentIndex(combo.findData(aid_id))


def test_aids_that_fit_come_first_under_a_heading(picker_session: Session) -> None:
    egfr = TestResult(None, gene="EGFR", alteration="p.L858R", origin=Origin.SOMATIC)
    options = _options(picker_session, "Lung adenocarcinoma", egfr)
    entries = _entries(options)
    assert [(text, data) for text, data, _enabled in entries] == [
        ("Choose a decision aid", ""),
        ("Written for this consultation", None),
        ("Choosing a first treatment", LUNG_AID),
        ("Other decision aids", None),
        ("Deciding about a test", OPEN_AID),  # no applies_to: it cannot tell
        ("A choice after a BRCA result", BREAST_AID),  # written for something else
        ("Without a decision aid", None),
        ("Options written in this consultation", WRITTEN_OPTIONS),  # always last
    ]
    # The headings cannot be chosen.
    assert [enabled for _text, data, enabled in entries if data is None] == [False] * 3
    assert options.aid_fit(BREAST_AID).fit is Fit.OTHER  # type: ignore[union-attr]
    assert options.aid_fit(OPEN_AID).fit is Fit.UNKNOWN  # type: ignore[union-attr]


def test_without_condition_or_results_the_list_is_by_title(picker_session: Session) -> None:
    options = _options(picker_session, "")
    assert [data for _text, data, _enabled in _entries(options)] == [
        "",
        BREAST_AID,
        LUNG_AID,
        OPEN_AID,
        None,
        WRITTEN_OPTIONS,
    ]
    _choose(options, BREAST_AID)
    assert options.fit_notice.isHidden()  # nothing to tell it by: no notice


def test_choosing_an_aid_for_something_else_shows_a_calm_notice(
    picker_session: Session, qtbot: QtBot
) -> None:
    egfr = TestResult(None, gene="EGFR", alteration="p.L858R", origin=Origin.SOMATIC)
    options = _options(picker_session, "Lung cancer", egfr)
    assert options.fit_notice.isHidden()
    _choose(options, BREAST_AID)
    qtbot.waitUntil(lambda: options.fit_notice.isVisible())
    text = options.fit_notice.text()
    assert text.startswith(
        "This decision aid was written for other conditions and biomarkers: "
        "breast cancer; BRCA1 and BRCA2."
    ), text
    assert "You can still use it" in text
    # Said with the list too, for a screen reader.
    assert options.aid_combo.accessibleDescription() == text
    assert options.decision_aid is not None and options.decision_aid.id == BREAST_AID
    qtbot.wait(50)  # laid out, as a person would see it
    options.grab().save("/tmp/aidpicker_en.png")

    _choose(options, LUNG_AID)
    qtbot.waitUntil(lambda: options.fit_notice.isHidden())
    assert options.aid_combo.accessibleDescription() == ""


def test_the_notice_in_arabic(picker_session: Session, qtbot: QtBot) -> None:
    picker_session.controller.apply_language("ar")
    assert i18n.is_rtl(i18n.current_language())
    brca = TestResult(None, gene="BRCA2", origin=Origin.SOMATIC)
    options = _options(picker_session, "Lung cancer", brca)
    _choose(options, LUNG_AID)
    qtbot.waitUntil(lambda: options.fit_notice.isVisible())
    assert "BRCA" not in options.fit_notice.text()  # written for other biomarkers: EGFR
    assert "EGFR" in options.fit_notice.text()
    qtbot.wait(50)
    options.grab().save("/tmp/aidpicker_ar.png")


def test_figures_show_certainty_reason_and_comparison(picker_session: Session) -> None:
    options = _options(picker_session, "Lung cancer")
    _choose(options, LUNG_AID)
    texts = [label.text() for label in options.grid_host.findChildren(QLabel)]
    assert "Why this certainty: One large randomised trial" in texts
    assert "Why this certainty: One small trial; open-label" in texts
    # The harm outcome compares with waiting: 18 and 6 out of 100 over 3 years.
    assert (
        "With Wait and watch: 6 out of 100 people, over 3 years. "
        "12 more in 100 than with Wait and watch."
    ) in texts
    assert "A possible harm" in texts and "A possible benefit" in texts
    # Both the benefit and the harm are drawn as icon arrays, one per option.
    assert len(options.icon_arrays) == 4
    assert {array.text() for array in options.icon_arrays} >= {
        "People with a serious side effect: 18 out of 100 people, 3 years",
        "People with a serious side effect: 6 out of 100 people, 3 years",
    }


def test_the_keyboard_skips_the_headings(picker_session: Session, qtbot: QtBot) -> None:
    egfr = TestResult(None, gene="EGFR", alteration="p.L858R", origin=Origin.SOMATIC)
    options = _options(picker_session, "Lung cancer", egfr)
    combo = options.aid_combo
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    visited = [combo.currentData()]
    for _ in range(combo.count()):
        qtbot.keyClick(combo, Qt.Key.Key_Down)
        visited.append(combo.currentData())
    assert None not in visited
    assert list(dict.fromkeys(visited)) == ["", LUNG_AID, OPEN_AID, BREAST_AID, WRITTEN_OPTIONS]
    consultation = options.model.consultation
    assert consultation is not None and consultation.decision_aid_id == WRITTEN_OPTIONS
