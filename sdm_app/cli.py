"""The ``sdm-app`` command: launch the app, or work on content and screenshots."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from sdm_app import __version__, i18n, paths
from sdm_app.i18n import _


def _parser() -> argparse.ArgumentParser:
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

    shots = commands.add_parser("screenshots", help=_("save a picture of every page"))
    shots.add_argument(
        "--locale", default=i18n.SOURCE_LANGUAGE, help=_("UI language, for example en or ar")
    )
    shots.add_argument("--out", type=Path, required=True, help=_("folder for the PNG files"))
    shots.add_argument(
        "--text-size", type=int, default=100, help=_("text size in percent (100-200)")
    )

    i18n_parser = commands.add_parser("i18n", help=_("work with translation catalogues"))
    i18n_commands = i18n_parser.add_subparsers(
        dest="i18n_command", metavar=_("ACTION"), required=True
    )
    i18n_commands.add_parser("compile", help=_("compile every .po catalogue into .mo"))
    return parser


def _content_validate(path: Path | None) -> int:
    from sdm_app.content.validate import format_problem, validate_path

    target = path or paths.content_dir()
    if not target.exists():
        print(_("{path}: no such file or folder").format(path=target), file=sys.stderr)
        return 1
    problems = validate_path(target)
    for problem in problems:
        print(format_problem(problem))
    errors = [problem for problem in problems if problem.severity == "error"]
    return 1 if errors else 0


def _content_build(source: Path | None, out: Path) -> int:
    from sdm_app.content.build import build_content_db
    from sdm_app.content.problems import ContentBuildError, format_problem

    try:
        report = build_content_db(source or paths.content_dir(), out)
    except ContentBuildError as error:
        for problem in error.problems:
            print(format_problem(problem), file=sys.stderr)
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
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    i18n.set_language(_terminal_language())
    args = _parser().parse_args(argv)
    if args.command in (None, "run"):
        from sdm_app.app import run

        return run(quit_after_show=bool(getattr(args, "quit_after_show", False)))
    if args.command == "content":
        if args.content_command == "validate":
            return _content_validate(args.path)
        return _content_build(args.source, args.out)
    if args.command == "screenshots":
        from sdm_app.ui.screenshots import save_screenshots

        written = save_screenshots(args.locale, args.out, args.text_size)
        for path in written:
            print(path)
        return 0
    if args.command == "i18n":
        for mo_path in i18n.compile_all():
            print(mo_path)
        return 0
    return 2


def _terminal_language() -> str:
    import os

    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            return value.split(".")[0]
    return i18n.SOURCE_LANGUAGE
