"""A UI language the content packs lack still says, on every text, that the text is
shown in its source language (German, Hindi, French ... have no modules yet)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

from sdm_app import i18n
from sdm_app.app import Session
from sdm_app.core.consultation import Step
from sdm_app.i18n import _, language_name
from sdm_app.ui.steps.options_step import OptionsStep
from tests.ui.test_consultation_journey import AID


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
