"""The ``sdm-app`` command: launch the app, or work on content and screenshots."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from sdm_app import __version__, i18n, paths
from sdm_app.core.text import terminal_safe
from sdm_app.i18n import _

if TYPE_CHECKING:
    import argparse

    from sdm_app.core.consultation import Consultation
    from sdm_app.storage.content_db import ContentLibrary


def _parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="sdm-app",
        description=_(
            "Offline shared decision-making and patient education for precision medicine."
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar=_("COMMAND"))

    run = commands.add_parser("run", help=_("start the app (the default)"))
    run.add_argument(
        "--quit-after-show",
        action="store_true",
        help=_("quit as soon as the main window is shown (for checks and timing)"),
    )

    content = commands.add_parser("content", help=_("check and build content packs"))
    content_commands = content.add_subparsers(
        dest="content_command", metavar=_("ACTION"), required=True
    )
    validate = content_commands.add_parser("validate", help=_("check content packs for problems"))
    validate.add_argument(
        "path", nargs="?", type=Path, help=_("a pack or a folder of packs (default: content/)")
    )
    build = content_commands.add_parser("build", help=_("compile all packs into content.db"))
    build.add_argument(
        "--out", type=Path, default=Path("content.db"), help=_("output file (default: content.db)")
    )
    build.add_argument("--source", type=Path, help=_("folder of packs (default: content/)"))
    stats = content_commands.add_parser(
        "stats", help=_("count texts and measure their reading grade, per language")
    )
    stats.add_argument(
        "path", nargs="?", type=Path, help=_("a pack or a folder of packs (default: content/)")
    )
    stats.add_argument("--json", action="store_true", help=_("print the figures as JSON"))
    _add_po_commands(content_commands)
    from sdm_app.pack_commands import add_pack_commands

    add_pack_commands(content_commands)  # keygen, sign, verify, install

    shots = commands.add_parser("screenshots", help=_("save a picture of every page"))
    shots.add_argument(
        "--locale", default=i18n.SOURCE_LANGUAGE, help=_("UI language, for example en or ar")
    )
    shots.add_argument("--out", type=Path, required=True, help=_("folder for the PNG files"))
    shots.add_argument(
        "--text-size", type=int, default=100, help=_("text size in percent (100-200)")
    )
    shots.add_argument("--high-contrast", action="store_true", help=_("in high contrast"))

    i18n_parser = commands.add_parser("i18n", help=_("work with translation catalogues"))
    i18n_commands = i18n_parser.add_subparsers(
        dest="i18n_command", metavar=_("ACTION"), required=True
    )
    i18n_commands.add_parser("compile", help=_("compile every .po catalogue into .mo"))
    status = i18n_commands.add_parser(
        "status", help=_("show how much of the UI and the content each language has")
    )
    status.add_argument("--json", action="store_true", help=_("print the figures as JSON"))
    status.add_argument("--content", type=Path, help=_("folder of packs (default: content/)"))
    status.add_argument(
        "--po",
        type=Path,
        help=_("count content segments from these catalogues (content po extract)"),
    )
    i18n_commands.add_parser(
        "pseudo", help=_("make the pseudo-locale catalogue from the template again")
    )

    summary = commands.add_parser(
        "summary", help=_("save the summary of a stored consultation as a PDF")
    )
    summary.add_argument("--consultation", type=int, required=True, help=_("consultation id"))
    summary.add_argument("--locale", required=True, help=_("language of the PDF, e.g. en or ar"))
    summary.add_argument("--out", type=Path, required=True, help=_("the PDF file to write"))
    summary.add_argument(
        "--clinician-view",
        action="store_true",
        help=_("include clinician notes (the default is the patient view)"),
    )
    _add_print_arguments(summary)
    _add_passphrase_argument(summary)
    letter = commands.add_parser(
        "family-letter", help=_("save a letter for blood relatives (germline P/LP) as a PDF")
    )
    letter.add_argument("--consultation", type=int, required=True, help=_("consultation id"))
    letter.add_argument("--locale", required=True, help=_("language of the PDF, e.g. en or ar"))
    letter.add_argument("--out", type=Path, required=True, help=_("the PDF file to write"))
    letter.add_argument(
        "--genetics-service", default="", help=_("how to reach the genetics service")
    )
    _add_print_arguments(letter)
    _add_passphrase_argument(letter)
    demo = commands.add_parser("demo", help=_("save the summary of the bundled demo as a PDF"))
    demo.add_argument(
        "--locale",
        help=_("language of the PDF, e.g. en or ar (default: the build's default language)"),
    )
    demo.add_argument("--out", type=Path, required=True, help=_("the PDF file to write"))
    _add_print_arguments(demo)
    importer = commands.add_parser(
        "import", help=_("read test results from a FHIR genomics report or a lab file")
    )
    importer.add_argument("file", type=Path, help=_("the file to read (JSON or CSV)"))
    importer.add_argument("--json", action="store_true", help=_("print what was found as JSON"))
    backups = commands.add_parser("backup", help=_("list or restore backups of your saved data"))
    backup_commands = backups.add_subparsers(dest="backup_command", metavar=_("ACTION"))
    backup_commands.add_parser("list", help=_("list the backups, newest first"))
    restore = backup_commands.add_parser(
        "restore", help=_("put a backup in place of your saved data (close the app first)")
    )
    restore.add_argument("file", type=Path, help=_("the backup file, as listed"))
    _add_passphrase_argument(restore)
    return parser


def _add_po_commands(content_commands: argparse._SubParsersAction[Any]) -> None:
    po = content_commands.add_parser(
        "po", help=_("content as PO catalogues, for translation platforms")
    )
    po_commands = po.add_subparsers(dest="po_command", metavar=_("ACTION"), required=True)
    extract = po_commands.add_parser(
        "extract", help=_("write a PO template and catalogues per module, aid and glossary")
    )
    extract.add_argument("--pack", type=Path, help=_("one pack folder (default: every pack)"))
    extract.add_argument("--out", type=Path, required=True, help=_("folder for the catalogues"))
    extract.add_argument(
        "--locale",
        action="append",
        default=[],
        help=_("also start catalogues for this language (repeat for more)"),
    )
    apply = po_commands.add_parser(
        "apply", help=_("write the catalogues' translations into the packs' language files")
    )
    apply.add_argument("folder", type=Path, help=_("the folder the catalogues are in"))
    apply.add_argument("--pack", type=Path, help=_("one pack folder (default: every pack)"))
    check = po_commands.add_parser(
        "check", help=_("check translated catalogues: numbers, marks, citations, links")
    )
    check.add_argument("folder", type=Path, help=_("the folder the catalogues are in"))


def _po_packs(pack: Path | None) -> list[Path]:
    from sdm_app.content.problems import Problem
    from sdm_app.content.validate import find_packs

    problems: list[Problem] = []
    return find_packs(pack or paths.content_dir(), problems)


def _content_po(args: argparse.Namespace) -> int:
    from sdm_app.content.po_check import check_folder
    from sdm_app.content.problems import format_problem

    if args.po_command == "check":
        if not args.folder.is_dir():
            return _fail(_("{path}: no such folder").format(path=args.folder))
        problems = check_folder(args.folder)
        for problem in problems:
            print(terminal_safe(format_problem(problem)))
        return 1 if any(problem.is_error for problem in problems) else 0
    from sdm_app.content.po import extract, read_pack
    from sdm_app.content.po_apply import apply
    from sdm_app.content.po_segments import MarkdownToolMissing

    folders = _po_packs(args.pack)
    if not folders:
        return _fail(_("{path}: no content pack found").format(path=args.pack or "content/"))
    failed = False
    try:
        for folder in folders:
            pack = read_pack(folder)
            if args.po_command == "extract":
                extracted = extract(pack, args.out, args.locale)
                for reason in extracted.problems:
                    print(terminal_safe(reason), file=sys.stderr)
                failed = failed or bool(extracted.problems)
                done = _("{pack}: {written} catalogues written, {unchanged} unchanged")
                print(
                    done.format(
                        pack=pack.id,
                        written=len(extracted.written),
                        unchanged=extracted.unchanged,
                    )
                )
                continue
            applied = apply(pack, args.folder)
            for path in applied.written:
                print(terminal_safe(str(path)))
            for reason in applied.skipped:
                print(terminal_safe(reason), file=sys.stderr)
            done = _(
                "{pack}: {written} files written, {unchanged} unchanged, {skipped} not written"
            )
            print(
                done.format(
                    pack=pack.id,
                    written=len(applied.written),
                    unchanged=applied.unchanged,
                    skipped=len(applied.skipped),
                )
            )
    except (MarkdownToolMissing, ValueError) as error:
        return _fail(str(error))
    return 1 if failed else 0


def _add_passphrase_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--passphrase-file",
        type=Path,
        help=_(
            "a file holding the passphrase of your saved data (for scripts; otherwise "
            "the keychain, SDM_APP_PASSPHRASE_FILE or SDM_APP_PASSPHRASE, or a prompt)"
        ),
    )


class _KeyProblem(Exception):
    """The key of user.db could not be had; the message is one line for the terminal."""


def _user_db_key(db_path: Path, passphrase_file: Path | None) -> bytes | None:
    """The key of user.db: from the keychain when remembered, else from a passphrase
    file or variable, else asked on the terminal. None for an unencrypted file (an
    earlier release's, encrypted at the app's next start) or when there is none yet."""
    import os

    from sdm_app.services.unlocking import (
        ENV_PASSPHRASE_FILE,
        key_from_keychain,
        passphrase_from_environment,
        unlock_with_passphrase,
    )
    from sdm_app.storage.encryption import EncryptionError, database_state, read_record

    state = database_state(db_path)
    if state == "plaintext" or (state == "new" and read_record(db_path) is None):
        return None
    try:
        key = key_from_keychain(db_path) if state == "encrypted" else None
        if key is not None:
            return key
        if passphrase_file is not None:
            os.environ[ENV_PASSPHRASE_FILE] = str(passphrase_file)
        passphrase = passphrase_from_environment()
        if passphrase is None:
            if not sys.stdin.isatty():
                raise _KeyProblem(
                    _(
                        "Your saved data is encrypted: give its passphrase with "
                        "--passphrase-file FILE, or run the command in a terminal."
                    )
                )
            import getpass

            passphrase = getpass.getpass(_("Passphrase of your saved data: "))
        return unlock_with_passphrase(db_path, passphrase)
    except EncryptionError as error:
        raise _KeyProblem(str(error)) from error


def _backup(args: argparse.Namespace) -> int:
    from sdm_app.storage.user_db import (
        UserDatabase,
        UserDatabaseError,
        list_backups,
        restore,
    )

    db_path = paths.user_db_path()
    if args.backup_command == "list":
        found = list_backups(db_path)
        if not found:
            print(_("No backups yet."))
        for info in found:
            print(
                _("{path}  {date}  {size} KB").format(
                    path=info.path,
                    date=info.made.isoformat(timespec="seconds"),
                    size=info.size // 1024,
                )
            )
        return 0
    if args.backup_command == "restore":
        try:
            key = _user_db_key(db_path, args.passphrase_file)
        except _KeyProblem as problem:
            return _fail(str(problem))
        database = UserDatabase(db_path, key)
        holder = database.lock()
        if holder is not None:
            return _fail(
                _(
                    "Your saved data is open in another copy of the app ({holder}). Close it first."
                ).format(holder=holder)
            )
        try:
            undo = restore(db_path, args.file, key)
        except UserDatabaseError as error:
            return _fail(str(error))
        finally:
            database.close()
        print(
            _("Restored {file}. The data it replaced was kept as {undo}.").format(
                file=args.file, undo=undo
            )
        )
        return 0
    return 2


def _content_validate(path: Path | None) -> int:
    from sdm_app.content.validate import format_problem, validate_path

    target = path or paths.content_dir()
    if not target.exists():
        print(_("{path}: no such file or folder").format(path=target), file=sys.stderr)
        return 1
    from sdm_app.content.po_check import check_folder, is_po_folder

    # A folder of PO catalogues (content po extract) gets the translation checks.
    problems = check_folder(target) if is_po_folder(target) else validate_path(target)
    for problem in problems:
        print(terminal_safe(format_problem(problem)))
    errors = [problem for problem in problems if problem.severity == "error"]
    return 1 if errors else 0


def _content_build(source: Path | None, out: Path) -> int:
    from sdm_app.content.build import build_content_db
    from sdm_app.content.problems import ContentBuildError, format_problem

    try:
        report = build_content_db(source or paths.content_dir(), out)
    except ContentBuildError as error:
        for problem in error.problems:
            print(terminal_safe(format_problem(problem)), file=sys.stderr)
        print(_("Content not built: fix the problems above."), file=sys.stderr)
        return 1
    except OSError as error:
        print(
            _("{path}: cannot write: {reason}").format(path=out, reason=error.strerror),
            file=sys.stderr,
        )
        return 1
    for warning in report.warnings:
        print(format_problem(warning))
    built = _(
        "Built {path}: {modules} modules in {texts} texts, {terms} glossary entries, {seconds} s"
    )
    print(
        built.format(
            path=out,
            modules=report.modules,
            texts=report.module_texts,
            terms=report.terms,
            seconds=f"{report.seconds:.1f}",
        )
    )
    if report.decision_aids or report.support_entries:
        aids = _("{aids} decision aids in {texts} texts, {entries} patient-support entries")
        print(
            aids.format(
                aids=report.decision_aids,
                texts=report.decision_aid_texts,
                entries=report.support_entries,
            )
        )
    return 0


def _content_stats(path: Path | None, as_json: bool) -> int:
    import json

    from sdm_app.content.stats import content_stats, stats_lines

    target = path or paths.content_dir()
    if not target.exists():
        print(_("{path}: no such file or folder").format(path=target), file=sys.stderr)
        return 1
    figures = content_stats(target)
    if as_json:
        print(json.dumps(figures, indent=2, ensure_ascii=False))
        return 0
    for line in stats_lines(figures):
        print(line)
    return 0


def _fail(message: str) -> int:
    print(terminal_safe(message), file=sys.stderr)
    return 1


def _pdf_library() -> tuple[ContentLibrary | None, str]:
    """The content library for a PDF (built into the cache when needed), or a problem."""
    import os
    import sqlite3

    from sdm_app.app import ensure_app_content_db
    from sdm_app.content.problems import ContentBuildError
    from sdm_app.storage.content_db import ContentDatabaseError, ContentLibrary

    override = os.environ.get(paths.ENV_CONTENT_DB)
    try:
        db_path = Path(override) if override else ensure_app_content_db(paths.user_cache_dir())
        return ContentLibrary.open(db_path), ""
    except (OSError, sqlite3.Error, ContentBuildError, ContentDatabaseError) as error:
        return None, _("The content library could not be opened: {reason}").format(reason=error)


def _stored_consultation(
    consultation_id: int, passphrase_file: Path | None
) -> tuple[Consultation | None, str]:
    from sdm_app.storage.consultations import ConsultationStore, ConsultationStoreError
    from sdm_app.storage.user_db import UserDatabase

    missing = _("There is no consultation with id {id}.").format(id=consultation_id)
    db_path = paths.user_db_path()
    if not db_path.is_file():  # reading must not create an empty user.db
        return None, missing
    try:
        key = _user_db_key(db_path, passphrase_file)
    except _KeyProblem as problem:
        return None, str(problem)
    database = UserDatabase(db_path, key)
    # The data lock, as the app takes it, and no waiting: a running app may be upgrading
    # or restoring user.db, and its open consultation may hold answers this command
    # cannot see yet. A clinic expects a printed summary or letter to say what the
    # screen says; with the app open it prints from the app itself, so the command
    # refuses in one line instead of printing from under it. The lock is held only
    # while the consultation is read, never while the PDF is made.
    holder = database.lock()
    if holder is not None:
        return None, _(
            "Your saved data is open in the app ({holder}): print from the app, "
            "or close it and try again."
        ).format(holder=holder)
    try:
        consultation = ConsultationStore(database).load(consultation_id)
    except ConsultationStoreError as error:
        return None, str(error)
    finally:
        database.close()
    return consultation, "" if consultation is not None else missing


def _add_print_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--paper",
        choices=("auto", "a4", "letter"),
        default="auto",
        help=_("paper size (default: the usual paper of the system's region)"),
    )
    parser.add_argument(
        "--large-print", action="store_true", help=_("print in large type (body text 14 pt)")
    )


class _Print(NamedTuple):
    paper: str
    large_print: bool


def _pdf_summary(
    consultation_id: int,
    locale: str,
    out: Path,
    patient_view: bool,
    printing: _Print,
    passphrase_file: Path | None = None,
) -> int:
    from sdm_app.services.pdf_document import export_language, unprintable_notice
    from sdm_app.services.pdf_summary import (
        PdfExportError,
        UnknownLanguageError,
        export_summary_pdf,
    )
    from sdm_app.services.pdf_text import collect_missing

    try:
        export_language(locale)
    except UnknownLanguageError as error:
        return _fail(str(error))
    consultation, problem = _stored_consultation(consultation_id, passphrase_file)
    if consultation is None:
        return _fail(problem)
    library, problem = _pdf_library()
    if problem:
        print(terminal_safe(problem), file=sys.stderr)
    try:
        with collect_missing() as missing:
            written = export_summary_pdf(
                consultation,
                library,
                out,
                language=locale,
                patient_view=patient_view,
                paper=printing.paper,
                large_print=printing.large_print,
            )
    except PdfExportError as error:
        return _fail(str(error))
    finally:
        if library is not None:
            library.close()
    if missing:
        print(
            terminal_safe(_("warning: {problem}").format(problem=unprintable_notice(missing))),
            file=sys.stderr,
        )
    print(written)
    return 0


def _pdf_family_letter(
    consultation_id: int,
    locale: str,
    out: Path,
    service: str,
    printing: _Print,
    passphrase_file: Path | None = None,
) -> int:
    from sdm_app.services.family_letter import (
        NoFamilyLetterError,
        PdfExportError,
        UnknownLanguageError,
        export_family_letter_pdf,
    )
    from sdm_app.services.pdf_document import export_language

    try:
        export_language(locale)
    except UnknownLanguageError as error:
        return _fail(str(error))
    consultation, problem = _stored_consultation(consultation_id, passphrase_file)
    if consultation is None:
        return _fail(problem)
    library, problem = _pdf_library()
    if library is None:  # which genes are pharmacogenes is in the content
        return _fail(problem)
    try:
        knowledge = library.knowledge(locale)
        written = export_family_letter_pdf(
            consultation,
            knowledge,
            out,
            language=locale,
            genetics_service=service,
            paper=printing.paper,
            large_print=printing.large_print,
        )
    except (NoFamilyLetterError, PdfExportError) as error:
        return _fail(str(error))
    finally:
        library.close()
    print(written)
    return 0


def _pdf_demo(locale: str, out: Path, printing: _Print) -> int:
    from sdm_app.services.demo import load_demo
    from sdm_app.services.pdf_document import export_language
    from sdm_app.services.pdf_summary import (
        PdfExportError,
        UnknownLanguageError,
        export_summary_pdf,
    )

    try:
        language = export_language(locale)
    except UnknownLanguageError as error:
        return _fail(str(error))
    library, problem = _pdf_library()
    if library is None:
        return _fail(problem)
    try:
        plain = load_demo()
        aid = (
            library.decision_aid(plain.decision_aid_id, plain.context.materials_locale or language)
            if plain.decision_aid_id
            else None
        )
        written = export_summary_pdf(
            load_demo(aid),
            library,
            out,
            language=language,
            paper=printing.paper,
            large_print=printing.large_print,
        )
    except PdfExportError as error:
        return _fail(str(error))
    except (OSError, ValueError) as error:  # a damaged demo file
        return _fail(_("The demo consultation could not be read: {reason}").format(reason=error))
    finally:
        library.close()
    print(written)
    return 0


def _i18n(args: argparse.Namespace) -> int:
    if args.i18n_command == "status":
        return _i18n_status(args.content, args.json, args.po)
    if args.i18n_command == "pseudo":
        from sdm_app.pseudo_locale import write_pseudo_catalogue

        print(write_pseudo_catalogue(paths.locales_dir()))
        return 0
    for mo_path in i18n.compile_all():
        print(mo_path)
    return 0


def _i18n_status(content: Path | None, as_json: bool, po_dir: Path | None = None) -> int:
    import json

    from sdm_app.services.translation_status import translation_status

    statuses = translation_status(paths.locales_dir(), content or paths.content_dir(), po_dir)
    if as_json:
        report = {status.language: status.as_json() for status in statuses}
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    print(
        _(
            "{language:<8} {ui:>14} {fuzzy:>6} {content:>14} {stale:>6} {segments:>18} {sfuzzy:>6}"
        ).format(
            language=_("Language"),
            ui=_("UI"),
            fuzzy=_("Fuzzy"),
            content=_("Content"),
            stale=_("Stale"),
            segments=_("Segments"),
            sfuzzy=_("Fuzzy"),
        )
    )
    for status in statuses:
        ui, text = status.ui, status.content
        ui_share = _share(ui.translated, ui.total)
        content_share = _share(text.translated, text.total)
        row = f"{status.language:<8} {ui_share:>14} {ui.fuzzy:>6} {content_share:>14}"
        segments = text.segments
        if segments is None:
            print(f"{row} {text.stale:>6}")
            continue
        segment_share = _share(segments.translated, segments.total)
        print(f"{row} {text.stale:>6} {segment_share:>18} {segments.fuzzy:>6}")
    return 0


def _share(part: int, whole: int) -> str:
    percent = i18n.format_percent(part / whole if whole else 1.0)
    return f"{part}/{whole} {percent}"


def _import_results(path: Path, as_json: bool) -> int:
    import json

    from sdm_app.services.result_import import (
        ResultImportError,
        describe_report,
        read_import_file,
        report_to_json,
    )

    try:
        report = read_import_file(path, str(path))
    except ResultImportError as error:
        return _fail(str(error))
    if as_json:
        print(json.dumps(report_to_json(report), indent=2, ensure_ascii=False))
    else:
        print("\n".join(describe_report(report)))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:
        # The reader of our output went away (``| head``): not an error of ours.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as error:
        # A folder that is a file, a disk that is full: one line, never a traceback.
        where = f"{error.filename}: " if error.filename else ""
        return _fail(f"{where}{error.strerror or error}")


# Starting the app needs no parser: building it costs start-up time.
_PLAIN_STARTS = {(): False, ("run",): False, ("run", "--quit-after-show"): True}


def _main(argv: Sequence[str] | None) -> int:
    words = tuple(sys.argv[1:] if argv is None else argv)
    if words in _PLAIN_STARTS:
        from sdm_app.app import run

        return run(quit_after_show=_PLAIN_STARTS[words])
    i18n.set_language(_terminal_language())
    args = _parser().parse_args(argv)
    if args.command in (None, "run"):
        from sdm_app.app import run

        return run(quit_after_show=bool(getattr(args, "quit_after_show", False)))
    if args.command == "content":
        if args.content_command == "validate":
            return _content_validate(args.path)
        if args.content_command == "stats":
            return _content_stats(args.path, args.json)
        if args.content_command == "po":
            return _content_po(args)
        from sdm_app.pack_commands import PACK_COMMANDS, run_pack_command

        if args.content_command in PACK_COMMANDS:
            return run_pack_command(args)
        return _content_build(args.source, args.out)
    if args.command == "screenshots":
        from sdm_app.ui.screenshots import save_screenshots

        written = save_screenshots(
            args.locale, args.out, args.text_size, high_contrast=args.high_contrast
        )
        for path in written:
            print(path)
        return 0
    if args.command == "summary":
        printing = _Print(args.paper, args.large_print)
        return _pdf_summary(
            args.consultation,
            args.locale,
            args.out,
            not args.clinician_view,
            printing,
            args.passphrase_file,
        )
    if args.command == "family-letter":
        printing = _Print(args.paper, args.large_print)
        return _pdf_family_letter(
            args.consultation,
            args.locale,
            args.out,
            args.genetics_service,
            printing,
            args.passphrase_file,
        )
    if args.command == "demo":
        return _pdf_demo(
            args.locale or _default_locale(), args.out, _Print(args.paper, args.large_print)
        )
    if args.command == "import":
        return _import_results(args.file, args.json)
    if args.command == "i18n":
        return _i18n(args)
    if args.command == "backup":
        return _backup(args)
    return 2


def _default_locale() -> str:
    from sdm_app.branding import current_branding

    branding = current_branding()
    if branding is not None and branding.default_locale:
        return branding.default_locale
    return i18n.SOURCE_LANGUAGE


def _terminal_language() -> str:
    return i18n.system_language() or i18n.SOURCE_LANGUAGE
