from __future__ import annotations

from datetime import date

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
from sdm_app.services.decision_aid_page import decision_aid_html, figure_sentence

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
