"""A UI language the content packs lack still says, on every text, that the text is
shown in its source language (German, Hindi, French ... have no modules yet)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QApplication, QLabel

from sdm_app import i18n
from sdm_app.app import Session
from sdm_app.core.bidi import without_controls
from sdm_app.core.consultation import Step
from sdm_app.core.results import Origin, TestResult
from sdm_app.i18n import _, base_language, language_name
from sdm_app.services.documents.model import Block
from sdm_app.services.documents.summary import summary_document
from sdm_app.ui.steps.options_step import OptionsStep
from sdm_app.ui.steps.results_step import ResultsStep
from tests.ui.test_consultation_journey import AID

# Every language with a catalogue in locales/, the pseudo-locale too.
LANGUAGES = i18n.catalogue_languages()


def _notice(language: str, source: str) -> str:
    notice = _("This text is not yet translated into {language}. It is shown in {source}.")
    # As plain text shows it: Qt turns no-break spaces (French) into spaces.
    text = notice.format(language=language_name(language), source=language_name(source))
    return text.replace("\xa0", " ")


@pytest.mark.parametrize("language", ["de", "hi", "fr", "pl", "pt"])
def test_a_module_in_a_language_without_content_says_so(session: Session, language: str) -> None:
    session.controller.apply_language(language)
    assert i18n.current_language() == language
    assert language not in session.library.locales()
    locale = session.controller.content_locale()
    assert locale == language
    summary = session.library.modules(locale)[0]
    page = session.window.library_page
    session.window.show_page("library")
    page.open_module(summary.id)
    shown = page.module_view.browser.toPlainText()
    assert _notice(language, summary.locale) in shown


def test_the_option_grid_in_a_language_without_content_says_so(session: Session) -> None:
    session.controller.apply_language("de")
    page = session.window.consultations_page
    session.window.show_page("consultations")
    page.new_button.click()
    page.model.update(decision_aid_id=AID)
    page.show_step(Step.OPTIONS)
    options = page.steps[Step.OPTIONS]
    assert isinstance(options, OptionsStep)
    aid = session.library.decision_aid(AID, session.controller.content_locale())
    assert aid is not None and aid.is_fallback
    texts = [label.text().replace("\xa0", " ") for label in options.findChildren(QLabel)]
    assert any(_notice("de", aid.locale) in text for text in texts)


def test_a_language_with_content_shows_no_notice(session: Session) -> None:
    session.controller.apply_language("es")
    assert session.controller.content_locale() == "es"


def _plain(text: str) -> str:
    """Text as compared: without isolates, no-break spaces as spaces."""
    return without_controls(text).replace("\xa0", " ")


def _other(locale: str, wanted: str) -> bool:
    return base_language(locale) != base_language(wanted)


def _says_language(text: str, language: str) -> bool:
    """Whether a title or line names ``language`` in the way titles do ("(in English)")."""
    note = _("{title} (in {language})").format(title="", language=language_name(language))
    return _plain(note).strip() in _plain(text)


def _texts(blocks: tuple[Block, ...] | list[Block]) -> list[str]:
    found: list[str] = []
    for block in blocks:
        for name in ("text", "title"):
            value = getattr(block, name, None)
            if isinstance(value, str):
                found.append(value)
        for name in ("items",):
            found += [v for v in getattr(block, name, ()) if isinstance(v, str)]
        for name in ("blocks",):
            found += _texts(list(getattr(block, name, ())))
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_library_says_which_texts_are_in_another_language(
    session: Session, language: str
) -> None:
    session.controller.apply_language(language)
    assert i18n.current_language() == language
    locale = session.controller.content_locale()
    modules = session.library.modules(locale)
    others = [m for m in modules if _other(m.locale, locale)]
    if (
        base_language(language) != i18n.SOURCE_LANGUAGE
        and language not in session.library.locales()
    ):
        assert others  # no pack has this language: every module is in another one
    page = session.window.library_page
    session.window.show_page("library")
    # The list: each title in another language names it; the others do not.
    for module in modules:
        text = str(page.tree_model.index_of_module(module.id).data())
        assert _says_language(text, module.locale) == (module in others), text
    # The reading view: the notice above a text in another language, and only there.
    for module in [*others[:1], *[m for m in modules if m not in others][:1]]:
        page.open_module(module.id)
        shown = _plain(page.module_view.browser.toPlainText())
        assert (_notice(locale, module.locale) in shown) == (module in others), module.id
    # Search: a hit in another language names it.
    if others:
        page.search(others[0].title)
        model = page.results_model
        rows = [r for r in range(model.rowCount()) if model.hit(r).module_id == others[0].id]
        assert rows
        assert _says_language(str(model.index(rows[0], 0).data()), others[0].locale)
        page.search("")


@pytest.mark.parametrize("language", LANGUAGES)
def test_decision_aids_say_when_they_are_in_another_language(
    session: Session, language: str
) -> None:
    session.controller.apply_language(language)
    locale = session.controller.content_locale()
    aids = session.library.decision_aids(locale)
    others = {a.id for a in aids if _other(a.locale, locale)}
    page = session.window.decision_aids_page
    session.window.show_page("decision_aids")
    for row in range(page.aid_list.count()):
        aid = aids[row]
        text = page.aid_list.item(row).text()
        assert _says_language(text, aid.locale) == (aid.id in others), text
    for aid in [a for a in aids if a.id in others][:1] + [a for a in aids if a.id not in others][
        :1
    ]:
        assert page.open_decision_aid(aid.id)
        shown = _plain(page.view.browser.toPlainText())
        assert (_notice(locale, aid.locale) in shown) == (aid.id in others), aid.id


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_consultation_and_its_summary_say_it_too(session: Session, language: str) -> None:
    session.controller.apply_language(language)
    locale = session.controller.content_locale()
    page = session.window.consultations_page
    session.window.show_page("consultations")
    page.new_button.click()
    result = TestResult(None, gene="EGFR", alteration="p.L858R", origin=Origin.SOMATIC)
    page.model.update(results=(result,), decision_aid_id=AID)
    aid = session.library.decision_aid(AID, locale)
    assert aid is not None
    notice = _notice(locale, aid.locale)
    # The option grid.
    page.show_step(Step.OPTIONS)
    options = page.steps[Step.OPTIONS]
    assert isinstance(options, OptionsStep)
    labels = [_plain(label.text()) for label in options.findChildren(QLabel)]
    assert any(notice in text for text in labels) == aid.is_fallback
    combo = [_plain(options.aid_combo.itemText(r)) for r in range(options.aid_combo.count())]
    chosen = _plain(options.aid_combo.currentText())
    assert aid.title in chosen and _says_language(chosen, aid.locale) == aid.is_fallback, combo
    # The explanation card: each module to read says its language when it is another.
    page.show_step(Step.RESULTS)
    step = page.steps[Step.RESULTS]
    assert isinstance(step, ResultsStep)
    QApplication.processEvents()
    card = _plain(step.card.browser.toPlainText())
    from sdm_app.services.cards import explain

    explained = explain(result, "", session.library, locale)
    assert explained.learn_more
    lines = card.splitlines()
    listed = lines[lines.index(_plain(_("Learn more"))) + 1 :]
    for item in explained.learn_more:
        line = next(line for line in listed if line.startswith(item.title))
        assert _says_language(line, item.locale) == _other(item.locale, locale), line
    # Patient communities described in another language.
    other_entries = [e for e in explained.communities if _other(e.locale, locale)]
    if other_entries:
        assert _notice(locale, other_entries[0].locale) in card
    # The printed summary (the same document as the preview).
    consultation = page.model.consultation
    assert consultation is not None
    document = summary_document(
        consultation, session.library, language=language, today=date.today()
    )
    printed = [_plain(text) for text in _texts(document.blocks)]
    considered = next(
        block for block in document.blocks if getattr(block, "title", "") == _("Options considered")
    )
    options_texts = [_plain(text) for text in _texts([considered])]
    assert any(notice in text for text in options_texts) == aid.is_fallback
    reading = [text for text in printed if explained.learn_more[0].title in text]
    assert reading
    assert any(_says_language(text, explained.learn_more[0].locale) for text in reading) == (
        _other(explained.learn_more[0].locale, locale)
    )


PRINTED_AID = "germline-testing"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_printed_pdf_says_it(session: Session, language: str) -> None:
    from sdm_app.services.pdf_summary import build_summary_pdf
    from tests.services.test_pdf_summary import extracted_text, normalise

    session.controller.apply_language(language)
    locale = session.controller.content_locale()
    aid = session.library.decision_aid(PRINTED_AID, locale)
    if aid is None:
        pytest.skip(f"the bundled content has no decision aid {PRINTED_AID}")
    page = session.window.consultations_page
    session.window.show_page("consultations")
    page.new_button.click()
    page.model.update(decision_aid_id=PRINTED_AID)
    consultation = page.model.consultation
    assert consultation is not None
    text = normalise(
        extracted_text(build_summary_pdf(consultation, session.library, language=language))
    )
    assert (normalise(_notice(locale, aid.locale)) in text) == aid.is_fallback
