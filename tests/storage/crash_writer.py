"""Saves answers through the app's own save path until it is killed (crash test).

Usage: crash_writer.py DB_PATH FIRST_ANSWER [KEY_HEX]

It imports everything, prints "ready" and waits for "go" on stdin before it
touches the database, so the test can start the next writer while it checks
the database the previous one left. Then it loads the remembered consultation
(or creates it), and loops: change the answers, save, and only after ``save``
returned print ``ack N TIME``.
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # this checkout's sdm_app

# Paid for before "go": the save path imports these lazily.
import sqlalchemy.exc
import sqlalchemy.orm  # noqa: F401

import sdm_app.storage.models  # noqa: F401
from sdm_app.core.consultation import SURE_ITEMS, Consultation
from sdm_app.core.results import TestResult as Result
from sdm_app.storage.consultations import ConsultationStore
from sdm_app.storage.user_db import UserDatabase


def answered(consultation: Consultation, n: int) -> Consultation:
    """Answer number n; every part of it depends on n, so a torn save would show."""
    first = consultation.results[0] if consultation.results else Result(id=None, gene="EGFR")
    results: tuple[Result, ...] = (replace(first, alteration=f"variant {n}"),)
    if n % 2:  # alternately adds and removes a result
        results += (Result(id=None, gene="KRAS", alteration=f"extra {n}"),)
    return replace(
        consultation,
        next_steps=f"answer {n}",
        value_ratings={"live_longer": n % 5, "side_effects": (n // 5) % 5},
        sure={item: bool((n >> index) & 1) for index, item in enumerate(SURE_ITEMS)},
        own_questions=(f"question {n}",),
        results=results,
    )


def main() -> None:
    db_path = Path(sys.argv[1])
    n = int(sys.argv[2])
    key = bytes.fromhex(sys.argv[3]) if len(sys.argv) > 3 else None
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        return
    store = ConsultationStore(UserDatabase(db_path, key))
    remembered = store.open_consultation_id()
    consultation = store.load(remembered) if remembered is not None else None
    if consultation is None:
        consultation = store.create()
        store.remember_open(consultation.id)
    while True:
        consultation = store.save(answered(consultation, n))
        print(f"ack {n} {time.time()}", flush=True)
        n += 1


if __name__ == "__main__":
    main()
