"""``sdm-app content keygen | sign | verify | install | remove``: signed content packs.

Kept apart from cli.py so that the command line only imports the signing code
(and ``cryptography``) when one of these commands runs.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date
from pathlib import Path

from sdm_app import paths
from sdm_app.core.text import terminal_safe
from sdm_app.i18n import _

PACK_COMMANDS = ("keygen", "sign", "verify", "install", "remove")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("'{text}' is not a date; write it as YYYY-MM-DD").format(text=text)
        ) from None


def add_pack_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    keygen = commands.add_parser("keygen", help=_("make a key pair for signing content packs"))
    keygen.add_argument("--out", type=Path, required=True, help=_("folder for the two key files"))
    keygen.add_argument(
        "--name", default="pack-signing", help=_("name of the key files (default: pack-signing)")
    )
    sign = commands.add_parser(
        "sign", help=_("sign a pack: write its manifest.json and manifest.sig")
    )
    sign.add_argument("pack", type=Path, help=_("the pack folder (the one with pack.yaml)"))
    sign.add_argument("--key", type=Path, required=True, help=_("the private key file (.key)"))
    sign.add_argument(
        "--expires",
        type=_date,
        help=_("the last day the pack is accepted, YYYY-MM-DD (default: a year from today)"),
    )
    verify = commands.add_parser(
        "verify", help=_("check a signed pack: signature, files, expiry and version")
    )
    verify.add_argument(
        "pack", type=Path, help=_("a pack folder, or a pack archive (.zip, .tar, .tar.gz)")
    )
    verify.add_argument(
        "--trusted-keys",
        type=Path,
        help=_("folder of trusted public keys (default: the app's resources/keys)"),
    )
    install = commands.add_parser("install", help=_("install a signed pack archive for this user"))
    install.add_argument("archive", type=Path, help=_("the pack archive (.zip, .tar or .tar.gz)"))
    install.add_argument(
        "--allow-older",
        action="store_true",
        help=_(
            "accept a version older than the one installed, or than any installed before "
            "(to go back to an earlier release on purpose)"
        ),
    )
    remove = commands.add_parser("remove", help=_("remove an installed pack for this user"))
    remove.add_argument("pack_id", metavar="PACK_ID", help=_("the id of the pack, as installed"))


def run_pack_command(args: argparse.Namespace) -> int:
    command = args.content_command
    if command == "keygen":
        return _keygen(args.out, args.name)
    if command == "sign":
        return _sign(args.pack, args.key, args.expires)
    if command == "verify":
        return _verify(args.pack, args.trusted_keys)
    if command == "install":
        return _install(args.archive, args.allow_older)
    if command == "remove":
        return _remove(args.pack_id)
    return 2


def _fail(lines: list[str] | str) -> int:
    for line in [lines] if isinstance(lines, str) else lines:
        print(terminal_safe(line), file=sys.stderr)
    return 1


def _bundled_folders() -> list[Path]:
    from sdm_app.content.validate import find_packs

    content = paths.content_dir()
    return find_packs(content, []) if content.is_dir() else []


def _keygen(out: Path, name: str) -> int:
    from sdm_app.content.signing import SigningError, generate_key_pair

    try:
        pair = generate_key_pair(out, name)
    except SigningError as error:
        return _fail(str(error))
    private = _("Private key: {path} (keep it secret: whoever has it can sign packs)")
    public = _("Public key: {path} (copy it into resources/keys/ of each build that trusts it)")
    print(private.format(path=pair.private))
    print(public.format(path=pair.public))
    print(_("Key id: {key}").format(key=pair.key_id))
    return 0


def _sign(pack: Path, key: Path, expires: date | None) -> int:
    from sdm_app.content.signing import SigningError, sign_pack

    try:
        manifest = sign_pack(pack, key, expires=expires)
    except SigningError as error:
        return _fail(str(error).splitlines())
    print(
        _(
            "Signed {pack}: pack {id} version {version}, {files} files, key {key}, "
            "accepted until {expires}"
        ).format(
            pack=pack,
            id=manifest.pack_id,
            version=manifest.version,
            files=len(manifest.files),
            key=manifest.key_id,
            expires=manifest.expires.isoformat(),
        )
    )
    return 0


def _version_in_use(pack_id: str | None) -> str | None:
    from sdm_app.content.packstore import version_in_use

    if pack_id is None:
        return None
    return version_in_use(pack_id, paths.installed_packs_dir(), _bundled_folders())


def _verify(target: Path, keys_dir: Path | None) -> int:
    from sdm_app.content.archive import ArchiveError, extract_archive
    from sdm_app.content.packstore import PackInstallError, pack_root
    from sdm_app.content.signing import load_trusted_keys, read_manifest_header, verify_pack

    trusted = load_trusted_keys(keys_dir or paths.trusted_keys_dir())
    for problem in trusted.problems:
        print(terminal_safe(_("warning: {problem}").format(problem=problem)), file=sys.stderr)
    if not target.exists():
        return _fail(_("{path}: no such file or folder").format(path=target))
    if not (target.is_dir() or target.is_file()):  # a pipe or a device would never end
        return _fail(_("{path}: not a pack folder or an archive file").format(path=target))
    with tempfile.TemporaryDirectory(prefix="sdm-app-verify-") as staging:
        if target.is_dir():
            folder, shown = target, str(target)
        else:
            try:
                extracted = extract_archive(target, Path(staging))
                folder = pack_root(extracted.root)
            except ArchiveError as error:
                return _fail(f"{target}: {error}")
            except PackInstallError as error:
                return _fail([f"{target}: {line}" for line in error.problems])
            shown = "/".join((str(target), *folder.relative_to(extracted.root).parts))
        header = read_manifest_header(folder)
        verdict = verify_pack(
            folder,
            trusted,
            installed_version=_version_in_use(header[0] if header else None),
            display=shown,
        )
    if not verdict.ok:
        for problem in verdict.problems:
            print(terminal_safe(str(problem)))
        return _fail(_("The pack is refused: see the problems above."))
    print(
        _(
            "{pack}: valid: pack {id} version {version}, {files} files, signed with key "
            "{key}, accepted until {expires}"
        ).format(
            pack=shown,
            id=verdict.pack_id,
            version=verdict.version,
            files=verdict.files,
            key=verdict.key_id,
            expires=verdict.expires.isoformat() if verdict.expires else "",
        )
    )
    return 0


def _waiting(holder: str) -> None:
    print(
        terminal_safe(
            _(
                "Another installation or removal of packs is running ({holder}); "
                "waiting for it to finish ..."
            ).format(holder=holder)
        ),
        file=sys.stderr,
        flush=True,
    )


def _install(archive: Path, allow_older: bool = False) -> int:
    from sdm_app.content.packstore import PackInstallError, install_archive
    from sdm_app.content.signing import load_trusted_keys

    if not archive.is_file():
        return _fail(_("{path}: no such file").format(path=archive))
    trusted = load_trusted_keys(paths.trusted_keys_dir())
    try:
        installed = install_archive(
            archive,
            paths.installed_packs_dir(),
            trusted,
            bundled_folders=_bundled_folders(),
            allow_older=allow_older,
            on_wait=_waiting,
        )
    except PackInstallError as error:
        _fail(error.problems)
        return _fail(_("The pack was not installed; the packs already installed are unchanged."))
    print(
        _(
            "Installed pack {id} version {version} in {folder}; "
            "the app uses it from its next start."
        ).format(id=installed.pack_id, version=installed.version, folder=installed.folder)
    )
    return 0


def _remove(pack_id: str) -> int:
    from sdm_app.content.packstore import PackInstallError, remove_installed

    try:
        removed = remove_installed(pack_id, paths.installed_packs_dir(), on_wait=_waiting)
    except PackInstallError as error:
        return _fail(error.problems)
    if not removed:
        return _fail(_("No pack with the id {id} is installed.").format(id=pack_id))
    print(_("Removed pack {id}; the app stops using it from its next start.").format(id=pack_id))
    return 0
