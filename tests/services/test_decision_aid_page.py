from __future__ import annotations

from datetime import date

import pytest

from sdm_app.core.aid_fit import AidFit, Fit
from sdm_app.core.decision_aid import (
    Attribute,
    DecisionAid,
    Disclosure,
    Option,
    Outcome,
    OutcomeFigure,
    ValueItem,
)
from sdm_app.core.library import ReviewInfo, Source
from sdm_app.services.decision_aid_page import (
    certainty_sentence,
    comparison_sentences,
    decision_aid_html,
    difference_sentence,
    figure_sentence,
    fit_notice,
    outcome_sentence,
)

TODAY = date(2026, 11, 21)


def _aid(**changes: object) -> DecisionAid:
    options = (
        Option(
            "pill",
            "Tablets <b>",
            "<p>Daily</p>",
            {"how": "By mouth"},
            ("Fewer visits",),
            ("Rash",),
            False,
        ),
        Option(
            "wait",
            "Wait",
            "<p>Watch</p>",
            {"how": "Nothing given"},
            ("No side effects",),
            ("May grow",),
            True,
        ),
    )
    outcome = Outcome(
        "alive",
        "benefit",
        "Alive at 3 years",
        "Adults & others",
        (
            OutcomeFigure("pill", 54, 100, "3 years", "moderate", "trial", None),
            OutcomeFigure("wait", None, 100, "3 years", None, None, "No trial compared waiting"),
        ),
    )
    values: dict[str, object] = dict(
        id="aid",
        pack_id="core",
        pack_version="1",
        title="Choice <script>",
        question="Which one?",
        audience=("patient",),
        conditions=(),
        biomarkers=(),
        summary_html="<p>Summary</p>",
        locale="en",
        requested_locale="en",
        status="source",
        source_version=1,
        translation_of=None,
        review=ReviewInfo(TODAY, "Team", date(2027, 11, 21), "needs clinical review"),
        disclosure=Disclosure("Team", "None", "None declared", "Trials", "Yearly"),
        sources=(Source("trial", "A trial", date(2020, 1, 1), doi="10.1/x"),),
        attributes=(Attribute("how", "How is it given?"),),
        options=options,
        outcomes=(outcome,),
        values=(
            ValueItem(
                "long", "Living longer", {"pill": "Aims to control", "wait": "Does not treat"}
            ),
        ),
        no_action_reason=None,
    )
    values.update(changes)
    return DecisionAid(**values)  # type: ignore[arg-type]


def test_grid_shows_every_option_with_answers_benefits_and_harms() -> None:
    html = decision_aid_html(_aid(), None, TODAY)
    assert "Tablets &lt;b&gt;" in html and "Choice &lt;script&gt;" in html
    assert "<script>" not in html
    for text in (
        "By mouth",
        "Nothing given",
        "Fewer visits",
        "Rash",
        "No side effects",
        "May grow",
    ):
        assert text in html
    assert "waiting or no treatment" in html
    order = [
        html.index(p)
        for p in (
            "Which one?",
            "Summary",
            "side by side",
            "What the numbers say",
            "Sources",
            "Who made",
        )
    ]
    assert order == sorted(order)


def test_figures_read_as_sentences_with_certainty_and_source() -> None:
    html = decision_aid_html(_aid(), None, TODAY)
    assert "54 out of 100 people, over 3 years." in html
    assert "Certainty of the evidence: moderate." in html
    assert 'href="source:trial"' in html
    assert "No figure: No trial compared waiting" in html
    assert "Adults &amp; others" in html


def test_missing_figure_without_reason_still_says_so() -> None:
    figure = OutcomeFigure("wait", None, 100, "3 years", None, None, None)
    assert figure_sentence(figure).startswith("No figure")


def test_values_relate_every_option_without_ranking() -> None:
    html = decision_aid_html(_aid(), None, TODAY)
    assert "Aims to control" in html and "Does not treat" in html
    assert "There is no right answer." in html


def test_disclosure_and_review_status_are_shown() -> None:
    html = decision_aid_html(_aid(), None, TODAY)
    for text in ("None declared", "Trials", "Yearly", "needs clinical review"):
        assert text in html


# Absolute differences beside a comparator -------------------------------------------


def _compared(
    pill: OutcomeFigure | None = None, wait: OutcomeFigure | None = None, comparator: str = "wait"
) -> DecisionAid:
    outcome = Outcome(
        "rash",
        "harm",
        "Serious rash",
        "Adults",
        (
            pill or OutcomeFigure("pill", 23, 100, "3 years", "moderate", "trial", None,
                                  "One large randomised trial; open-label"),
            wait or OutcomeFigure("wait", 11, 100, "3 years", "low", "trial", None,
                                  "Small single-arm study."),
        ),
        comparator,
    )  # fmt: skip
    return _aid(outcomes=(outcome,))


@pytest.mark.parametrize(
    ("difference", "expected"),
    [
        (12.0, "12 more in 100 than with Wait."),
        (1.0, "1 more in 100 than with Wait."),
        (-3.0, "3 fewer in 100 than with Wait."),
        (-0.5, "0.5 fewer in 100 than with Wait."),
        (0.0, "About the same as with Wait."),
    ],
)
def test_difference_in_words(difference: float, expected: str) -> None:
    assert difference_sentence(difference, 100, "Wait") == expected


@pytest.mark.parametrize(
    ("pill", "wait", "difference"),
    [
        (23, 11, 12.0),
        (11, 23, -12.0),
        (11, 11, 0.0),
        (2.3, 1.1, 1.2),  # exactly: not 1.1999999999999997
    ],
)
def test_difference_from_numerators(pill: float, wait: float, difference: float) -> None:
    aid = _compared(
        OutcomeFigure("pill", pill, 100, "3 years", "high", "trial", None, "Two trials"),
        OutcomeFigure("wait", wait, 100, "3 years", "high", "trial", None, "Two trials"),
    )
    (outcome,) = aid.outcomes
    assert outcome.difference("pill") == difference
    assert outcome.difference("wait") is None  # the comparator is not compared with itself


@pytest.mark.parametrize(
    "wait",
    [
        OutcomeFigure("wait", 110, 1000, "3 years", "low", "trial", None, "A study"),
        OutcomeFigure("wait", 11, 100, "5 years", "low", "trial", None, "A study"),
        OutcomeFigure("wait", None, 100, "3 years", None, None, "No trial counted it", None),
    ],
    ids=["other denominator", "other time frame", "no figure"],
)
def test_no_difference_unless_denominator_and_time_frame_match(wait: OutcomeFigure) -> None:
    aid = _compared(wait=wait)
    assert aid.outcomes[0].difference("pill") is None
    html = decision_aid_html(aid, None, TODAY)
    assert " more in " not in html and " fewer in " not in html and "About the same" not in html
    assert "With Wait:" in html  # the comparator's figure is still shown beside it


def test_no_comparator_no_comparison() -> None:
    aid = _compared(comparator="")
    assert aid.outcomes[0].difference("pill") is None
    assert "With Wait" not in decision_aid_html(aid, None, TODAY)
    assert "With " not in outcome_sentence(aid, aid.outcomes[0], aid.outcomes[0].figures[0])


def test_figure_reads_with_comparator_difference_certainty_and_why() -> None:
    aid = _compared()
    outcome = aid.outcomes[0]
    pill, wait = outcome.figures
    assert outcome_sentence(aid, outcome, pill) == (
        "23 out of 100 people, over 3 years. "
        "With Wait: 11 out of 100 people, over 3 years. "
        "12 more in 100 than with Wait. "
        "Certainty of the evidence: moderate. Why: One large randomised trial; open-label."
    )
    # The comparator's own figure stands alone; a reason's full stop is not doubled.
    assert outcome_sentence(aid, outcome, wait) == (
        "11 out of 100 people, over 3 years. "
        "Certainty of the evidence: low. Why: Small single-arm study."
    )
    html = decision_aid_html(aid, None, TODAY)
    assert "12 more in 100 than with Wait." in html
    assert "A possible harm" in html


def test_figure_without_reason_says_only_its_certainty() -> None:
    figure = OutcomeFigure("pill", 54, 100, "3 years", "moderate", "trial", None)
    assert certainty_sentence(figure) == "Certainty of the evidence: moderate."
    assert figure_sentence(figure) == (
        "54 out of 100 people, over 3 years. Certainty of the evidence: moderate."
    )


def test_a_comparator_without_figure_is_said_so() -> None:
    aid = _compared(wait=OutcomeFigure("wait", None, 100, "3 years", None, None, "None", None))
    outcome = aid.outcomes[0]
    assert comparison_sentences(aid, outcome, "pill") == ["With Wait: no figure is available."]


def test_fit_notice_names_what_the_aid_was_written_for() -> None:
    aid = _aid(conditions=("bowel cancer",), biomarkers=("MSI-high", "dMMR"))
    assert fit_notice(aid, AidFit(Fit.FITS)) == ""
    assert fit_notice(aid, AidFit(Fit.UNKNOWN)) == ""
    assert fit_notice(aid, AidFit(Fit.OTHER, other_conditions=True)) == (
        "This decision aid was written for other conditions: bowel cancer. "
        "It may not fit this consultation. You can still use it; check with the care team."
    )
    assert fit_notice(aid, AidFit(Fit.OTHER, other_biomarkers=True)).startswith(
        "This decision aid was written for other biomarkers: MSI-high and dMMR."
    )


def test_a_corrected_aid_says_what_changed(bundled_library: object) -> None:
    from sdm_app.services.decision_aid_page import decision_aid_html
    from sdm_app.storage.content_db import ContentLibrary

    assert isinstance(bundled_library, ContentLibrary)
    aid = bundled_library.decision_aid("egfr-alk-nsclc-first-treatment", "en")
    assert aid is not None and aid.source_version >= 2
    assert aid.changelog and aid.changelog[0].version == aid.source_version
    page = decision_aid_html(aid, None, date(2026, 12, 8))
    assert "What changed" in page and "MARIPOSA" in page.split("What changed")[1]
