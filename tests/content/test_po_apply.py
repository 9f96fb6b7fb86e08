"""Writing PO translations back into a pack's language files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sdm_app import cli, paths
from sdm_app.content.po import (
    Review,
    extract,
    read_catalogue,
    read_pack,
    set_review,
    write_catalogue,
)
from sdm_app.content.po_apply import apply
from sdm_app.content.po_segments import content_items, read_document
from sdm_app.content.validate import validate_path
from tests.content import aidfactory, packfactory


@pytest.fixture
def pack_folder(tmp_path: Path) -> Path:
    files: dict[str, str | bytes] = {**packfactory.valid_files(), **aidfactory.aid_files()}
    return packfactory.write_pack(tmp_path / "content" / "test", files)


def _translated(folder: Path) -> dict[tuple[str, str, str], object]:
    """Every translated segment, status and version of a pack, by item and language."""
    pack = read_pack(folder)
    found: dict[tuple[str, str, str], object] = {}
    for item in content_items(folder, pack.source_locale):
        for locale, path in item.translations().items():
            document = read_document(item, path, locale)
            found[(item.id, locale, "status")] = document.status
            found[(item.id, locale, "versions")] = document.versions
            for key, segment in document.segments.items():
                found[(item.id, locale, key)] = segment.text
    return found


def test_round_trip_of_the_bundled_translations(tmp_path: Path) -> None:
    copy = tmp_path / "content" / "core"
    shutil.copytree(paths.content_dir() / "core", copy)
    before = _translated(copy)
    errors_before = sorted(p.rule for p in validate_path(copy) if p.is_error)
    pack = read_pack(copy)
    extract(pack, tmp_path / "po")
    report = apply(pack, tmp_path / "po")
    assert not report.skipped
    after = _translated(copy)
    changed = {key for key in before if before[key] != after.get(key)}
    assert not changed, sorted(changed)[:5]
    assert sorted(p.rule for p in validate_path(copy) if p.is_error) == errors_before
    # Once written, extracting and applying again changes nothing.
    assert not extract(pack, tmp_path / "po").written
    again = apply(pack, tmp_path / "po")
    assert not again.written and again.unchanged == len(report.written) + report.unchanged


def _edit(path: Path, change: object) -> None:
    catalogue = read_catalogue(path)
    for message in catalogue:
        if message.id:
            change(message)  # type: ignore[operator]
    write_catalogue(path, catalogue)


def test_review_states_decide_the_status(pack_folder: Path, tmp_path: Path) -> None:
    pack = read_pack(pack_folder)
    out = tmp_path / "po"
    extract(pack, out)
    catalogue = out / "test" / "modules" / "germline" / "zh_Hans.po"
    module = pack_folder / "modules" / "germline.zh_Hans.md"

    def reviewed(message: object) -> None:
        set_review(message, Review("reviewed", "Patient organisation X", "2026-12-08"))  # type: ignore[arg-type]

    _edit(catalogue, reviewed)
    apply(pack, out)
    assert "status: reviewed\n" in module.read_text()

    def human(message: object) -> None:
        if message.context == "title":  # type: ignore[attr-defined]
            set_review(message, Review("translated"))  # type: ignore[arg-type]
            message.string = "胚系结果"  # type: ignore[attr-defined]

    _edit(catalogue, human)
    apply(pack, out)
    text = module.read_text()
    assert "status: translated\n" in text and "title: 胚系结果\n" in text
    assert not [p for p in validate_path(pack_folder) if p.is_error and "zh_Hans" in p.file]


def test_a_fuzzy_segment_keeps_the_old_version(pack_folder: Path, tmp_path: Path) -> None:
    pack = read_pack(pack_folder)
    out = tmp_path / "po"
    extract(pack, out)
    source = pack_folder / "modules" / "germline.en.md"
    text = source.read_text().replace("version: 1", "version: 2")
    source.write_text(text.replace("from a parent", "from a mother or a father"))
    extract(pack, out)
    apply(pack, out)
    spanish = (pack_folder / "modules" / "germline.es.md").read_text()
    assert "translation_of: 1\n" in spanish  # still made from version 1: the app says so

    def translate(message: object) -> None:
        if message.fuzzy:  # type: ignore[attr-defined]
            message.string = (  # type: ignore[attr-defined]
                "Los cambios germinales vienen de la madre o del padre. "
                "Vea [[dna|el ADN]] y la guia de medicacion."
            )
            message.flags.discard("fuzzy")  # type: ignore[attr-defined]

    _edit(out / "test" / "modules" / "germline" / "es.po", translate)
    apply(pack, out)
    spanish = (pack_folder / "modules" / "germline.es.md").read_text()
    assert "translation_of: 2\n" in spanish and "de la madre o del padre" in spanish


def test_a_new_language_is_written_when_complete(pack_folder: Path, tmp_path: Path) -> None:
    pack = read_pack(pack_folder)
    out = tmp_path / "po"
    extract(pack, out, ["fr"])
    catalogue = out / "test" / "modules" / "germline" / "fr.po"

    def title_only(message: object) -> None:
        if message.context == "title":  # type: ignore[attr-defined]
            message.string = "Résultats germinaux"  # type: ignore[attr-defined]

    _edit(catalogue, title_only)
    report = apply(pack, out)
    assert not (pack_folder / "modules" / "germline.fr.md").exists()
    assert any("fr.po: not written" in reason for reason in report.skipped)

    def everything(message: object) -> None:
        if not message.string:  # type: ignore[attr-defined]
            message.string = f"FR {message.id}"  # type: ignore[attr-defined]
            set_review(message, Review("machine-assisted"))  # type: ignore[arg-type]

    _edit(catalogue, everything)
    apply(pack, out)
    french = (pack_folder / "modules" / "germline.fr.md").read_text()
    assert "status: machine-assisted\n" in french and "translation_of: 1\n" in french
    assert "locales: [en, es, ar, zh_Hans, fr]" in (pack_folder / "pack.yaml").read_text()
    assert not [p for p in validate_path(pack_folder) if p.is_error and ".fr." in p.file]


def test_cli_apply_and_status_count_segments(
    pack_folder: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "po"
    assert (
        cli.main(["content", "po", "extract", "--pack", str(pack_folder), "--out", str(out)]) == 0
    )
    assert cli.main(["content", "po", "apply", str(out), "--pack", str(pack_folder)]) == 0
    assert "files written" in capsys.readouterr().out
    content = pack_folder.parent
    assert cli.main(["i18n", "status", "--json", "--content", str(content)]) == 0
    report = json.loads(capsys.readouterr().out)
    english, spanish = report["en"]["content"]["segments"], report["es"]["content"]["segments"]
    assert english["translated"] == english["total"] > 10
    assert spanish["total"] == english["total"]
    assert spanish["translated"] > 0 and spanish["missing"] > 0
    assert spanish["translated"] + spanish["fuzzy"] + spanish["missing"] == spanish["total"]


def test_a_translated_status_says_not_reviewed() -> None:
    from sdm_app.services.page_parts import translation_notice

    class Item:
        locale = requested_locale = "es"
        status = "translated"
        is_fallback = is_stale = False

    assert translation_notice(Item()) == "This translation has not been reviewed yet."
