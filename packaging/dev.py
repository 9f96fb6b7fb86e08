"""Set up a development environment from the lock, and run the app or the tests.

    python3 packaging/dev.py run            # create .venv when needed, launch the app
    python3 packaging/dev.py test           # create .venv when needed, run every test headless
    python3 packaging/dev.py lock           # refresh the lock to the newest releases, then test
    python3 packaging/dev.py test --latest  # test against the newest releases in .venv-latest,
                                            # leaving the lock and .venv alone

Needs only Python 3.11+. `.venv` is installed from `packaging/requirements.lock`, every
file checked against its hash, and made anew whenever the lock or `pyproject.toml`
changes, so it holds exactly what the lock names. Catalogues are compiled at each set-up
(the app also compiles them at start-up when they are missing or stale).

Arguments after `test` (or `test --latest`) go to pytest.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
LATEST_VENV = ROOT / ".venv-latest"
LOCK = ROOT / "packaging" / "requirements.lock"
# What installs and locks the project, locked beside its own dependencies.
LOCK_TOOLS = ROOT / "packaging" / "lock-tools.in"
STAMP_NAME = ".sdm-app-installed"
# The oldest Python the README promises; the lock is universal from there up, on
# Linux, Windows and macOS (uv writes environment markers where they differ).
LOCK_PYTHON = "3.11"
LOCK_COMMAND = "python3 packaging/dev.py lock"


def venv_python(folder: Path) -> Path:
    if os.name == "nt":
        return folder / "Scripts" / "python.exe"
    return folder / "bin" / "python"


def lock_stamp() -> str:
    """What a locked .venv was installed from: the lock and the project's own metadata."""
    digest = hashlib.sha256()
    for path in (LOCK, ROOT / "pyproject.toml"):
        digest.update(path.read_bytes())
    return "lock " + digest.hexdigest()


def installed_from_lock(prefix: Path) -> bool:
    """True for an environment this script installed from the lock (not .venv-latest)."""
    stamp = prefix / STAMP_NAME
    return stamp.is_file() and stamp.read_text().startswith("lock ")


def _pip(python: Path, *args: str) -> None:
    subprocess.run(
        [str(python), "-m", "pip", "--disable-pip-version-check", *args], check=True, cwd=ROOT
    )


def _install_project(python: Path) -> None:
    # No build isolation: the project is built with the locked setuptools already in
    # the environment, not with whatever setuptools is newest today.
    _pip(
        python,
        "install",
        "--quiet",
        "--no-deps",
        "--no-build-isolation",
        "--config-settings",
        "editable_mode=compat",
        "-e",
        str(ROOT),
    )


def _compile_catalogues(python: Path) -> None:
    subprocess.run(
        [str(python), "-m", "sdm_app", "i18n", "compile"],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )


def _check_python() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 (this script may run on any python3)
        sys.exit("Python 3.11 or newer is needed; this is " + sys.version.split()[0])


def ensure_environment() -> Path:
    """.venv holding exactly the lock's packages (hash-checked) and the project, editable."""
    _check_python()
    python = venv_python(VENV)
    stamp = VENV / STAMP_NAME
    wanted = lock_stamp()
    if not python.exists() or not stamp.exists() or stamp.read_text() != wanted:
        # Made anew, not upgraded in place: a package the lock dropped must go too.
        print("Installing .venv from packaging/requirements.lock ...", flush=True)
        if VENV.exists():
            shutil.rmtree(VENV)
        venv.EnvBuilder(with_pip=True).create(VENV)
        _pip(python, "install", "--quiet", "--require-hashes", "-r", str(LOCK))
        _install_project(python)
        stamp.write_text(wanted)
    _compile_catalogues(python)
    return python


def ensure_latest_environment() -> Path:
    """.venv-latest with the newest releases pyproject.toml accepts; the lock is not read."""
    _check_python()
    python = venv_python(LATEST_VENV)
    if not python.exists():
        venv.EnvBuilder(with_pip=True).create(LATEST_VENV)
    print("Installing the newest releases into .venv-latest ...", flush=True)
    _pip(
        python,
        "install",
        "--quiet",
        "--upgrade",
        "--upgrade-strategy",
        "eager",
        "--config-settings",
        "editable_mode=compat",
        "-e",
        f"{ROOT}[test]",
    )
    (LATEST_VENV / STAMP_NAME).write_text("latest")
    _compile_catalogues(python)
    return python


def refresh_lock() -> None:
    """Resolve every dependency anew, newest first, for all platforms and Pythons."""
    python = ensure_environment()
    uv = python.parent / ("uv.exe" if os.name == "nt" else "uv")
    subprocess.run(
        [
            str(uv),
            "pip",
            "compile",
            "pyproject.toml",
            "--extra",
            "test",
            "--extra",
            "authoring",
            str(LOCK_TOOLS.relative_to(ROOT)),
            "--universal",
            "--python-version",
            LOCK_PYTHON,
            "--generate-hashes",
            "--upgrade",
            "--quiet",
            "--custom-compile-command",
            LOCK_COMMAND,
            "--output-file",
            str(LOCK.relative_to(ROOT)),
        ],
        check=True,
        cwd=ROOT,
    )


def _pytest(python: Path, args: list[str]) -> int:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.call([str(python), "-m", "pytest", *args], cwd=ROOT, env=env)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("run", "test", "lock"):
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "run":
        python = ensure_environment()
        return subprocess.call([str(python), "-m", "sdm_app", "run", *rest], cwd=ROOT)
    if command == "lock":
        refresh_lock()
        return _pytest(ensure_environment(), rest)
    if rest[:1] == ["--latest"]:
        return _pytest(ensure_latest_environment(), rest[1:])
    return _pytest(ensure_environment(), rest)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
