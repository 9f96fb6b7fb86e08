"""Set up a development environment and run the app or the tests.

    python3 packaging/dev.py run     # create .venv when needed, launch the app
    python3 packaging/dev.py test    # create .venv when needed, run every test headless

Needs only Python 3.11+. The virtual environment is (re)installed whenever
pyproject.toml changes; catalogues are compiled at each set-up (the app also
compiles them at start-up when they are missing or stale).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".sdm-app-installed"


def _venv_python() -> Path:
    scripts = "Scripts" if os.name == "nt" else "bin"
    return VENV / scripts / ("python.exe" if os.name == "nt" else "python")


def _project_hash() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def ensure_environment() -> Path:
    if sys.version_info < (3, 11):  # noqa: UP036 (this script may run on any python3)
        sys.exit("Python 3.11 or newer is needed; this is " + sys.version.split()[0])
    python = _venv_python()
    if not python.exists():
        print("Creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if not STAMP.exists() or STAMP.read_text() != _project_hash():
        print("Installing the project and its test tools into .venv ...", flush=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True
        )
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--config-settings",
                "editable_mode=compat",
                "-e",
                f"{ROOT}[test]",
            ],
            check=True,
        )
        STAMP.write_text(_project_hash())
    subprocess.run(
        [str(python), "-m", "sdm_app", "i18n", "compile"],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    return python


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("run", "test"):
        print(__doc__)
        return 2
    python = ensure_environment()
    env = dict(os.environ)
    if argv[0] == "run":
        return subprocess.call([str(python), "-m", "sdm_app", "run", *argv[1:]], cwd=ROOT, env=env)
    env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.call([str(python), "-m", "pytest", *argv[1:]], cwd=ROOT, env=env)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
