"""Content as PO catalogues: extraction, merging, review states and checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message

from sdm_app import cli
from sdm_app.content.po import (
    Review,
    extract,
    read_catalogue,
    read_pack,
    read_review,
    set_review,
    status_for,
    write_catalogue,
)
from sdm_app.content.po_check import check_file, check_segment
from tests.content import aidfactory, packfactory


@pytest.fixture
def pack_folder(tmp_path: Path) -> Path:
    files: dict[str, str | bytes] = {**packfactory.valid_files(), **aidfactory.aid_files()}
    return packfactory.write_pack(tmp_path / "content" / "test", files)


def _messages(path: Path) -> dict[str, Message]:
    return {str(m.context): m for m in read_catalogue(path) if m.id}


def test_a_template_per_item_with_references_and_notes(pack_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "po"
    extract(read_pack(pack_folder), out)
    module = out / "test" / "modules" / "biomarker-testing"
    assert sorted(p.name for p in module.iterdir()) == [
        "ar.po",
        "biomarker-testing.pot",
        "es.po",
    ]
    assert (out / "test" / "decision-aids" / "first-treatment" / "es.po").is_file()
    assert (out / "test" / "glossary" / "glossary" / "glossary.pot").is_file()
    template = _messages(module / "biomarker-testing.pot")
    source = (pack_folder / "modules" / "biomarker-testing.en.md").read_text().split("\n")
    paragraph = template["body/h2[1]/p[1]"]
    (where, line) = paragraph.locations[0]
    assert where == "content/test/modules/biomarker-testing.en.md"
    assert source[line - 1].startswith("A biomarker test looks at the [[dna|genes]]")
    # A soft line break inside a paragraph is one segment.
    assert str(paragraph.id).endswith("for a targeted medicine [@nci].")
    notes = " ".join(paragraph.auto_comments)
    assert "[[dna|…]]" in notes and "[[target|…]]" in notes and "[@nci]" in notes
    assert "BRCA2" not in notes  # a gene name is not a number
    item = next(m for key, m in template.items() if key.startswith("body/h2[2]/li[1]"))
    figures = " ".join(item.auto_comments)
    assert "Numbers that must stay the same" in figures and "30" in figures
    assert "md-text" in paragraph.flags
    assert template["title"].id == "Biomarker testing"


def test_translated_files_fill_the_catalogues(pack_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "po"
    extract(read_pack(pack_folder), out)
    spanish = _messages(out / "test" / "modules" / "biomarker-testing" / "es.po")
    assert spanish["title"].string == "Pruebas de biomarcadores"
    assert not spanish["title"].fuzzy
    assert read_review(spanish["title"]) == Review("machine-assisted")
    # The Spanish body has one paragraph less than the English: its paragraphs are
    # taken, but marked fuzzy so a translator looks at them.
    body = spanish["body/h2[1]/p[1]"]
    assert str(body.string).startswith("Una prueba examina") and body.fuzzy
    assert spanish["body/h2[2]/p[2]"].string == ""
    reviewed = _messages(out / "test" / "modules" / "germline" / "es.po")
    assert read_review(reviewed["title"]) == Review("reviewed")
    aid = _messages(out / "test" / "decision-aids" / "first-treatment" / "es.po")
    assert any(key.startswith("options.") and m.string for key, m in aid.items())


def test_a_stale_translation_is_fuzzy(pack_folder: Path, tmp_path: Path) -> None:
    path = pack_folder / "modules" / "germline.es.md"
    path.write_text(path.read_text().replace("translation_of: 1", "translation_of: 0"))
    out = tmp_path / "po"
    extract(read_pack(pack_folder), out)
    spanish = _messages(out / "test" / "modules" / "germline" / "es.po")
    assert all(m.fuzzy for m in spanish.values() if m.string)
    arabic = _messages(out / "test" / "modules" / "germline" / "ar.po")
    assert not any(m.fuzzy for m in arabic.values())


def test_a_changed_source_sentence_is_fuzzy_in_every_language(
    pack_folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "po"
    pack = read_pack(pack_folder)
    extract(pack, out)
    folder = out / "test" / "modules" / "germline"
    before = {locale: _messages(folder / f"{locale}.po") for locale in ("es", "ar", "zh_Hans")}
    source = pack_folder / "modules" / "germline.en.md"
    old = "Germline changes are inherited from a parent."
    source.write_text(source.read_text().replace(old, "Germline changes come from a parent."))
    extract(pack, out)
    for locale in ("es", "ar", "zh_Hans"):
        after = _messages(folder / f"{locale}.po")
        fuzzy = [key for key, message in after.items() if message.fuzzy]
        assert fuzzy == ["body/p[1]"], locale
        changed = after["body/p[1]"]
        assert changed.string == before[locale]["body/p[1]"].string
        assert changed.previous_id == [str(before[locale]["body/p[1]"].id)]
        assert after["title"].string == before[locale]["title"].string
    # The unchanged template text is translated again once the sentence goes back.
    source.write_text(source.read_text().replace("Germline changes come from a parent.", old))
    extract(pack, out)
    assert not any(m.fuzzy for m in _messages(folder / "es.po").values())


def test_a_new_language_gets_empty_catalogues(pack_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "po"
    extract(read_pack(pack_folder), out, ["fr"])
    french = _messages(out / "test" / "glossary" / "glossary" / "fr.po")
    assert french and not any(m.string for m in french.values())


def test_review_comments_round_trip(tmp_path: Path) -> None:
    catalogue = Catalog(locale="es", fuzzy=False)
    message = Message("Hello", "Hola", context="title")
    set_review(message, Review("reviewed", "Patient organisation X", "2026-12-08"))
    catalogue[message.id] = message
    path = tmp_path / "es.po"
    write_catalogue(path, catalogue)
    assert "# review: reviewed; by: Patient organisation X; on: 2026-12-08" in path.read_text()
    read = next(m for m in read_catalogue(path) if m.id)
    assert read_review(read) == Review("reviewed", "Patient organisation X", "2026-12-08")
    assert not read.fuzzy
    assert status_for([Review("reviewed"), Review("machine-assisted")]) == "machine-assisted"
    assert status_for([Review("reviewed"), None]) == "translated"
    assert status_for([Review("reviewed")]) == "reviewed"


def test_checks_compare_each_segment_with_its_source() -> None:
    source = "About [[target|30%]] of people, 1 in 8 [@mosele-2020], see [x](module:germline)."
    good = (
        "Alrededor del [[target|30 %]] de las personas, 1 de cada 8 [@mosele-2020], "
        "vea [x](module:germline)."
    )
    assert check_segment(source, good) == []
    bad = "Alrededor del 31 % de las personas, 1 de cada 8, vea [x](module:gene)."
    rules = {rule for rule, _message in check_segment(source, bad)}
    assert rules == {"number-mismatch", "term-mismatch", "citation-mismatch", "link-mismatch"}
    assert check_segment("Hello {name}", "Hola") == [
        ("placeholder-mismatch", "the placeholders differ from the source: missing {name}")
    ]


def test_check_names_the_po_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "es.po"
    path.write_text(
        """\
msgid ""
msgstr ""
"Language: es\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgctxt "body/p[1]"
msgid "Results take 2 to 4 weeks [@mosele-2020]."
msgstr "Los resultados tardan de 2 a 5 semanas [@mosele-2020]."

#, fuzzy
msgctxt "body/p[2]"
msgid "About 30% of tests."
msgstr "Alrededor del 20 %."

# review: revieweed
msgctxt "body/table[1]/r[1]/c[1]"
msgid "[[dna]]"
msgstr "[[dna|ADN]] | otro"

msgid "{count} result"
msgid_plural "{count} results"
msgstr[0] "{count} resultado"
msgstr[1] ""
""",
        encoding="utf-8",
    )
    found = {(p.line, p.rule) for p in check_file(path)}
    assert (7, "number-mismatch") in found
    assert not any(line == 12 for line, _rule in found)  # fuzzy: known to be out of date
    assert {(17, "review-state"), (17, "table-cell")} <= found
    assert (20, "plural-forms") in found


def test_cli_extract_check_and_validate(
    pack_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "po"
    assert (
        cli.main(["content", "po", "extract", "--pack", str(pack_folder), "--out", str(out)]) == 0
    )
    assert "catalogues written" in capsys.readouterr().out
    assert cli.main(["content", "po", "check", str(out)]) == 0
    path = out / "test" / "modules" / "germline" / "es.po"
    catalogue = read_catalogue(path)
    message = catalogue.get("Some changes are inherited.", context="key_message")
    assert message is not None
    message.string = "Algunos cambios (2) se heredan."
    write_catalogue(path, catalogue)
    capsys.readouterr()
    assert cli.main(["content", "po", "check", str(out)]) == 1
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"{path}:") and ": number-mismatch: " in line
    assert cli.main(["content", "validate", str(out)]) == 1
    assert ": number-mismatch: " in capsys.readouterr().out
