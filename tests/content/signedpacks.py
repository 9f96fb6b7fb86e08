"""Signed packs, keys and archives for the pack-signing tests."""

from __future__ import annotations

import os
import tarfile
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sdm_app.content.signing import (
    KeyPair,
    TrustedKeys,
    generate_key_pair,
    load_trusted_keys,
    sign_pack,
)

EXTRA_MODULE = """\
---
id: extra-module
version: 1
status: source
topic: extra-topic
audience: [patient]
title: An extra module
key_message: This pack adds one short text.
review:
  reviewed_on: 2026-10-01
  reviewer: Tests
  next_review: 2099-10-01
  status: reviewed
sources:
  - id: extra-source
    citation: Tests. An extra source.
    url: https://example.org/extra
    date: 2026-10-01
---

## What it says

It explains one [[extra-term]] in plain words.
"""


def extra_files(version: str = "2026.12.1", pack_id: str = "extra") -> dict[str, str]:
    """A small valid pack whose ids do not clash with packfactory's or content/core's."""
    return {
        "pack.yaml": (
            f"id: {pack_id}\nname: Extra pack\nversion: {version}\n"
            "source_locale: en\nlocales: [en]\npublisher: Tests\n"
        ),
        "topics.yaml": "topics:\n  - id: extra-topic\n    title:\n      en: Extra\n",
        "glossary/en.yaml": (
            "locale: en\nstatus: source\nterms:\n  - id: extra-term\n    version: 1\n"
            "    term: Extra word\n    definition: A word that only this pack has.\n"
        ),
        "modules/extra-module.en.md": EXTRA_MODULE,
    }


def write_files(folder: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


@dataclass(frozen=True)
class Signer:
    pair: KeyPair
    folder: Path

    @property
    def trusted(self) -> TrustedKeys:
        return load_trusted_keys(self.folder)

    def sign(self, pack: Path, expires: date | None = None, today: date | None = None) -> Path:
        sign_pack(pack, self.pair.private, expires=expires, today=today)
        return pack


def make_signer(folder: Path, name: str = "publisher") -> Signer:
    """A key pair; ``folder`` holds only its public key, so it can serve as trusted keys."""
    pair = generate_key_pair(folder / "private", name)
    trusted = folder / "trusted"
    trusted.mkdir(parents=True, exist_ok=True)
    (trusted / pair.public.name).write_bytes(pair.public.read_bytes())
    return Signer(pair, trusted)


def signed_extra_pack(
    folder: Path, signer: Signer, version: str = "2026.12.1", **kwargs: date
) -> Path:
    write_files(folder, extra_files(version))
    return signer.sign(folder, **kwargs)


def zip_folder(folder: Path, archive: Path, top: str | None = None) -> Path:
    """Zip every file of ``folder`` (under ``top/`` when given), folders included."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for current, dirs, files in os.walk(folder):
            dirs.sort()
            for name in [*dirs, *sorted(files)]:
                path = Path(current) / name
                relative = path.relative_to(folder).as_posix()
                arcname = f"{top}/{relative}" if top else relative
                if path.is_dir():
                    out.writestr(zipfile.ZipInfo(arcname + "/"), b"")
                else:
                    out.write(path, arcname)
    return archive


def tar_folder(folder: Path, archive: Path, mode: str = "w:gz") -> Path:
    with tarfile.open(archive, mode) as out:  # type: ignore[call-overload]
        out.add(folder, arcname=".")
    return archive
