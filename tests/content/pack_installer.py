"""Installs one pack archive when told to (the parallel-install test runs four at once).

Usage: pack_installer.py ARCHIVE PACKS_ROOT TRUSTED_KEYS TODAY

It imports everything, prints "ready" and waits for "go" on stdin, so that the
test can start every installer at the same moment. Then it prints "waiting HOLDER"
if another install holds the packs folder, and "installed FOLDER" or
"refused PROBLEM" at the end.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # this checkout's sdm_app

import sdm_app.content.validate  # noqa: F401  (the content check, imported before "go")
from sdm_app.content.packstore import PackInstallError, install_archive
from sdm_app.content.signing import load_trusted_keys


def main() -> int:
    archive, packs_root, trusted_dir, today = sys.argv[1:5]
    trusted = load_trusted_keys(Path(trusted_dir))
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        return 2
    try:
        installed = install_archive(
            Path(archive),
            Path(packs_root),
            trusted,
            today=date.fromisoformat(today),
            on_wait=lambda holder: print("waiting", holder, flush=True),
        )
    except PackInstallError as error:
        print("refused", " | ".join(error.problems), flush=True)
        return 1
    print("installed", installed.folder, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
