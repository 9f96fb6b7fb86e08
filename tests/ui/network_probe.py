"""Run the app through start, browsing, search and a language switch, recording
every socket operation Python makes. Prints the record as JSON; used by
test_network.py (under strace too, to see what native code does)."""

from __future__ import annotations

import json
import socket
import sys

events: list[str] = []
WATCHED = (
    "socket.connect",
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "socket.sendto",
    "socket.bind",
    "urllib.Request",
    "http.client.connect",
)


def _hook(event: str, args: tuple[object, ...]) -> None:
    if event.startswith(WATCHED):
        if event == "socket.connect" and getattr(args[0], "family", None) == getattr(
            socket, "AF_UNIX", None
        ):
            # A local socket, not a network: the desktop session's D-Bus, through which
            # the keychain (Secret Service) answers on Linux.
            return
        events.append(f"{event} {args!r}")


sys.addaudithook(_hook)

from PySide6.QtWidgets import QApplication  # noqa: E402

from sdm_app.app import StartupProblem, create_application, start_session  # noqa: E402


def main() -> int:
    app = create_application()
    session = start_session(app)
    if isinstance(session, StartupProblem):
        print(json.dumps({"error": session.message}))
        return 1
    window = session.window
    window.show()
    QApplication.processEvents()
    page = window.library_page
    opened = 0
    for language in ("en", "es", "ar"):
        session.controller.set_language(language)
        for module in session.library.modules(session.controller.content_locale()):
            page.open_module(module.id)
            opened += 1
            QApplication.processEvents()
        for query in ("gen", "médic", "medic", "وراث", "BRCA"):
            page.search(query)
            QApplication.processEvents()
    window.show_page("settings")
    QApplication.processEvents()
    session.close()
    print(json.dumps({"events": events, "modules_opened": opened}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
