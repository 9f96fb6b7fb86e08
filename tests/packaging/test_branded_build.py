"""Organisation profiles are checked field by field, and the example profile
really becomes a standalone build that starts offline and exports the demo PDF."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sdm_app import paths

ROOT = paths.app_root()
EXAMPLE = ROOT / "packaging" / "profiles" / "example"
sys.path.insert(0, str(ROOT / "packaging"))

import dev  # noqa: E402  (packaging/dev.py)
from org_profile import ProfileError, contrast_with_white, load_profile  # noqa: E402


def _load(folder: Path):  # type: ignore[no-untyped-def]
    return load_profile(folder, locales_root=ROOT / "locales", content_root=ROOT / "content")


def test_the_example_profile_is_valid() -> None:
    profile = _load(EXAMPLE)
    assert profile.id == "example-alliance"
    assert profile.default_locale in profile.locales
    assert profile.logo is not None and profile.logo.is_file()
    assert contrast_with_white(profile.accent) >= 4.5


def test_every_problem_names_the_file_line_and_field(tmp_path: Path) -> None:
    folder = tmp_path / "broken"
    shutil.copytree(EXAMPLE, folder)
    (folder / "logo.png").write_bytes(b"GIF89a not a png")
    (folder / "profile.yaml").write_text(
        "id: Bad Id\n"
        "app_name: {en: Name}\n"
        "contact:\n"
        "  website: http://example.org\n"
        "logo: logo.png\n"
        "colours: {accent: '#ffff00'}\n"
        "default_locale: fr\n"
        "locales: [en, xx]\n"
        "content_packs: [core, nowhere, ../outside]\n"
        "colour: blue\n",
        encoding="utf-8",
    )
    with pytest.raises(ProfileError) as raised:
        _load(folder)
    shown = str(folder / "profile.yaml")
    problems = raised.value.problems
    expected = [
        (1, "id"),
        (1, "organisation"),
        (4, "contact.website"),
        (5, "logo"),
        (6, "colours.accent"),
        (7, "default_locale"),
        (8, "locales"),
        (9, "content_packs"),
        (10, "colour"),
    ]
    for line, field in expected:
        assert any(p.startswith(f"{shown}:{line}: {field}: ") for p in problems), (field, problems)


def test_unreadable_profile_is_one_clear_line(tmp_path: Path) -> None:
    (tmp_path / "profile.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(ProfileError) as raised:
        _load(tmp_path)
    assert raised.value.problems[0].startswith(f"{tmp_path / 'profile.yaml'}:")
    assert "YAML" in raised.value.problems[0]


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    import contextlib
    import io

    import build as builder  # packaging/build.py

    out = tmp_path_factory.mktemp("dist")
    work = tmp_path_factory.mktemp("work")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = builder.main([str(EXAMPLE), "--out", str(out), "--work", str(work)])
    assert code == 0
    yield out / "example-alliance", printed.getvalue()
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(work, ignore_errors=True)


def test_the_build_starts_branded_and_exports_the_demo(build: tuple[Path, str]) -> None:
    _folder, printed = build
    # build.py's own check starts the build offscreen and exports the demo PDF;
    # it exits with a message when either goes wrong.
    assert "window title: Genes y Decisiones" in printed
    assert "exported the demo PDF in es" in printed
    assert " MB" in printed.split("built ", 1)[1].splitlines()[0]


def test_the_build_ships_only_the_profiles_languages_and_packs(build: tuple[Path, str]) -> None:
    folder, _printed = build
    internal = next(path for path in (folder / "_internal", folder) if (path / "locales").is_dir())
    languages = {path.name for path in (internal / "locales").iterdir() if path.name != "qt"}
    assert languages == {"en", "es", "ar"}
    assert all(
        (internal / "locales" / code / "LC_MESSAGES" / "sdm_app.mo").is_file() for code in languages
    )
    assert {path.name for path in (internal / "content").iterdir()} == {"core"}
    assert (internal / "resources" / "branding" / "branding.json").is_file()
    assert any((internal / "resources" / "fonts").glob("*.ttf"))
    qt_translations = list(internal.rglob("qtbase_es.qm"))
    assert qt_translations, "Qt's own translations are in the build"


def test_an_unquoted_phone_number_is_refused_before_digits_are_lost(tmp_path: Path) -> None:
    folder = tmp_path / "phone"
    shutil.copytree(EXAMPLE, folder)
    profile = folder / "profile.yaml"
    text = profile.read_text(encoding="utf-8")
    profile.write_text(text.replace('phone: "+00 000 000 0000"', "phone: 030123456"), "utf-8")
    with pytest.raises(ProfileError) as raised:
        _load(folder)
    assert any(": contact.phone: write it in quotes" in p for p in raised.value.problems)


def _bundled_versions(internal: Path) -> dict[str, str]:
    from email.parser import HeaderParser

    from packaging.utils import canonicalize_name

    found: dict[str, str] = {}
    # Top level only: packages vendored inside another (setuptools/_vendor) are its own.
    for metadata in internal.glob("*.dist-info/METADATA"):
        headers = HeaderParser().parsestr(metadata.read_text(encoding="utf-8"))
        found[canonicalize_name(headers["Name"])] = headers["Version"]
    return found


@pytest.mark.skipif(
    not dev.installed_from_lock(Path(sys.prefix)),
    reason="this interpreter was not installed from the lock (dev.py test --latest)",
)
def test_the_build_ships_the_locked_releases(build: tuple[Path, str]) -> None:
    import build as builder  # packaging/build.py
    from lockfile import read_lock, versions_for  # packaging/lockfile.py
    from packaging.utils import canonicalize_name

    folder, _printed = build
    internal = next(path for path in (folder / "_internal", folder) if (path / "locales").is_dir())
    bundled = _bundled_versions(internal)
    bundled.pop("sdm-app", None)
    locked = versions_for(read_lock())
    runtime = {canonicalize_name(name) for name in builder.runtime_distributions()}
    assert runtime <= set(bundled), f"metadata missing from the build: {runtime - set(bundled)}"
    assert {name: bundled[name] for name in bundled} == {name: locked[name] for name in bundled}
