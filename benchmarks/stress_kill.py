"""Kill the app with SIGKILL while it saves and while it upgrades user.db; count what broke.

    .venv/bin/python benchmarks/stress_kill.py [--runs 500] [--migration-runs 50] [--seed N]

Acceptance (issue 16): 500 kills during saves and 50 during a schema upgrade give 0
integrity failures and 0 acknowledged saves lost, and the newest backup restores.

Saves. One user.db takes every kill. Each run starts a child process that opens
user.db as the app does (the data lock, ``migrate``, the daily backup) and then,
through ``ConsultationStore``, creates, edits and deletes consultations in a loop.
Before each operation it prints an ``intent`` line (what it is about to store, as a
hash of the contents); after the call returned it prints an ``ack`` line (the id and
a hash of everything stored, revision and result ids included), flushed. The parent
kills it at a random moment, then checks the file (``PRAGMA integrity_check`` and
``foreign_key_check``) and reads every consultation back through the same API.

"Not lost" means, for every consultation: what is stored is exactly its last
acknowledged version (every field, its revision and its results' ids), or, only
for the one operation in flight when the process died (announced, never
acknowledged), that operation's contents whole. A consultation whose deletion was
acknowledged never comes back; one that is stored but was never acknowledged may
only be the in-flight creation. Anything else (an older version, a mix of two
versions, a missing or unknown consultation) counts as a lost acknowledgement.
Consultations the run did not touch must be unchanged.

Schema upgrades. A copy of a user.db written by release 0.1.0 (schema 0002),
enlarged to 200 consultations, is upgraded in a child process by ``migrate``
(backup, safety copy, Alembic), which is killed at a random moment within the time
an upgrade takes. Then the file must be the old database unchanged (byte for byte,
or equal content at the old revision) or the fully upgraded one, never a mix; the
next start (``migrate`` again) must upgrade it completely; and the newest file in
``backups/``, when one was made, must restore (``user_db.restore``, as
``sdm-app backup restore`` does) to an intact copy of the old database.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import random
import select
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # this checkout's sdm_app, also in the child processes

OLD_FIXTURE = ROOT / "tests" / "fixtures" / "userdb" / "user-0.1.0.db"
OLD_REVISION = "0002"
TIMEOUT = 30.0  # seconds a child may take to get ready, or to acknowledge its first save
SEQ_PER_RUN = 1_000_000  # each run's edits are numbered above every earlier run's


# What a consultation holds, as a hash ------------------------------------------------------


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def fingerprint(consultation: Any, *, contents_only: bool = False) -> str:
    """A hash of the consultation. ``contents_only`` leaves out what storing decides
    (id, revision, times, result ids), so an announced save can be recognised."""
    document = _plain(consultation)
    document["revision"] = consultation.revision  # compare=False, but part of what is stored
    if contents_only:
        for name in ("id", "revision", "created_at", "updated_at"):
            document.pop(name)
        for result in document["results"]:
            result.pop("id")
    text = json.dumps(document, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


# The child processes --------------------------------------------------------------------


def _edited(consultation: Any, seq: int) -> Any:
    """Edit number ``seq``: every part depends on it, so a torn save would show."""
    from sdm_app.core.consultation import SURE_ITEMS, Context, Step
    from sdm_app.core.results import Origin, TestResult

    steps = list(Step)
    kept = consultation.results[: seq % 4]  # some stored results stay (and keep their ids)
    results = tuple(
        replace(result, alteration=f"c.{seq}A>G", vaf=f"{seq % 100}.5") for result in kept
    )
    results += tuple(
        TestResult(
            id=None, gene=f"GENE{seq % 50}", alteration=f"p.V{n}{seq}E", origin=Origin.SOMATIC
        )
        for n in range(seq % 3)
    )
    return replace(
        consultation,
        patient_label=f"Visit {seq} ü 漢 عربى",
        context=Context(f"condition {seq}", f"decision {seq}", "patient", "en"),
        results=results,
        value_ratings={f"value_{n}": (seq + n) % 5 for n in range(seq % 4)},
        sure={item: bool((seq >> index) & 1) for index, item in enumerate(SURE_ITEMS)},
        bank_questions=tuple(f"bank-{seq}-{n}" for n in range(seq % 3)),
        own_questions=(f"question {seq}?",),
        leaning=f"option-{seq % 3}",
        next_steps=f"next {seq}",
        clinician_notes=f"notes {seq}\n" * (seq % 5),
        current_step=steps[seq % len(steps)],
    )


def _say(*words: object) -> None:
    print(*words, flush=True)


def child_save(db_path: Path, seed: int, first_seq: int) -> int:
    """Open user.db as the app does, then create, edit and delete consultations until killed."""
    import sqlalchemy.exc
    import sqlalchemy.orm  # noqa: F401  (the save path imports these lazily)

    import sdm_app.storage.models  # noqa: F401
    from sdm_app.core.consultation import Consultation
    from sdm_app.storage.consultations import ConsultationStore
    from sdm_app.storage.user_db import UserDatabase, backup_if_due, migrate

    _say("ready")
    if sys.stdin.readline().strip() != "go":
        return 0
    database = UserDatabase(db_path)
    holder = database.lock()
    if holder is not None:
        _say("locked", holder)
        return 1
    migrate(db_path)
    backup_if_due(db_path)
    store = ConsultationStore(database)
    open_ones = {}
    for listed in store.listing():
        loaded = store.load(listed.id)
        if loaded is not None:
            open_ones[listed.id] = loaded
    rng = random.Random(seed)
    seq = first_seq
    while True:
        seq += 1
        roll = rng.random()
        if not open_ones or (roll < 0.05 and len(open_ones) < 12):
            now = datetime.now()
            new = _edited(Consultation(id=None, created_at=now, updated_at=now), seq)
            _say("intent", "save", "-", seq, fingerprint(new, contents_only=True))
            stored = store.save(new)
        elif roll < 0.08 and len(open_ones) > 3:
            doomed = rng.choice(sorted(open_ones))
            _say("intent", "delete", doomed, seq, "-")
            store.delete(doomed)
            del open_ones[doomed]
            _say("ack", "delete", doomed, seq, "-", "-")
            continue
        else:
            chosen = open_ones[rng.choice(sorted(open_ones))]
            change = _edited(chosen, seq)
            _say("intent", "save", chosen.id, seq, fingerprint(change, contents_only=True))
            stored = store.save(change)
        open_ones[stored.id] = stored
        _say(
            "ack",
            "save",
            stored.id,
            seq,
            fingerprint(stored),
            fingerprint(stored, contents_only=True),
        )


def child_migrate(db_path: Path) -> int:
    """Upgrade user.db as the app's start does (lock, then ``migrate``)."""
    import alembic.command
    import alembic.config
    import alembic.script  # noqa: F401  (imported before "go", so the kill window is the upgrade)

    import sdm_app.storage.models  # noqa: F401
    from sdm_app.storage.user_db import UserDatabase, migrate

    _say("ready")
    if sys.stdin.readline().strip() != "go":
        return 0
    database = UserDatabase(db_path)
    holder = database.lock()
    if holder is not None:
        _say("locked", holder)
        return 1
    started = time.perf_counter()
    migrate(db_path)
    _say("done", f"{time.perf_counter() - started:.6f}")
    database.close()
    return 0


class _Child:
    """One child process of this script, and what it printed so far."""

    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--child", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        self.output = b""

    def _lines(self) -> list[bytes]:
        return self.output.split(b"\n")[:-1]

    def wait_for(self, marker: bytes, timeout: float = TIMEOUT) -> bool:
        """Read until a line starting with ``marker`` arrived; False when the child ended."""
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        while not any(line.startswith(marker) for line in self._lines()):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise RuntimeError(f"the child printed no {marker!r}: {self.output[-500:]!r}")
            ready, _, _ = select.select([self.process.stdout], [], [], remaining)
            if ready:
                chunk = os.read(self.process.stdout.fileno(), 65536)
                if not chunk:
                    return False
                self.output += chunk
        return True

    def go(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(b"go\n")
        self.process.stdin.flush()

    def kill(self) -> bool:
        """SIGKILL (True when it was still running), then read all it printed."""
        running = self.process.poll() is None
        if running:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()
        assert self.process.stdout is not None and self.process.stdin is not None
        while chunk := os.read(self.process.stdout.fileno(), 65536):
            self.output += chunk
        self.process.stdout.close()
        with _quiet():
            self.process.stdin.close()
        return running

    def lines(self) -> list[list[str]]:
        return [line.decode("utf-8").split() for line in self._lines()]


class _quiet:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return exc[0] is BrokenPipeError


# Checks ------------------------------------------------------------------------------------


def integrity_problems(db_path: Path) -> list[str]:
    """``PRAGMA integrity_check`` and ``foreign_key_check``; [] when the file is sound."""
    try:
        connection = sqlite3.connect(db_path)
        try:
            problems = [str(row[0]) for row in connection.execute("PRAGMA integrity_check")]
            problems += [str(row) for row in connection.execute("PRAGMA foreign_key_check")]
        finally:
            connection.close()
    except sqlite3.Error as error:
        return [f"{type(error).__name__}: {error}"]
    return [] if problems == ["ok"] else problems


def stored_consultations(db_path: Path) -> dict[int, tuple[str, str]]:
    """id -> (hash of all, hash of contents), read as the app reads them."""
    from sdm_app.storage.consultations import ConsultationStore
    from sdm_app.storage.user_db import UserDatabase

    database = UserDatabase(db_path)
    holder = database.lock()
    if holder is not None:
        raise RuntimeError(f"user.db is still locked by {holder}")
    try:
        store = ConsultationStore(database)
        found = {}
        for listed in store.listing():
            loaded = store.load(listed.id)
            if loaded is not None:
                found[listed.id] = (fingerprint(loaded), fingerprint(loaded, contents_only=True))
    finally:
        database.close()
    return found


def backup_restores(db_path: Path, scratch: Path) -> tuple[bool, str]:
    """The newest backup restores (in a copy of the data folder) and passes its checks."""
    from sdm_app.storage.user_db import UserDatabaseError, list_backups, restore

    backups = list_backups(db_path)
    if not backups:
        return False, "no backup"
    if scratch.exists():
        shutil.rmtree(scratch)
    shutil.copytree(db_path.parent, scratch)
    copy = scratch / db_path.name
    try:
        restore(copy, scratch / "backups" / backups[0].path.name)
    except UserDatabaseError as error:
        return False, str(error)
    problems = integrity_problems(copy)
    return not problems, "; ".join(problems[:3])


@dataclass
class SaveFigures:
    runs: int = 0
    kills: int = 0
    operations_acknowledged: int = 0
    consultations_checked: int = 0
    integrity_failures: int = 0
    lost_acks: int = 0
    in_flight_completed: int = 0
    backup_restorable: bool = False
    seconds: float = 0.0
    seed: int = 0
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"saves: {self.runs} runs, {self.kills} SIGKILLs, "
            f"{self.operations_acknowledged} acknowledged operations, "
            f"{self.consultations_checked} consultation checks, "
            f"{self.integrity_failures} integrity failures, {self.lost_acks} lost acks "
            f"({self.in_flight_completed} unacknowledged saves found complete), newest backup "
            f"{'restorable' if self.backup_restorable else 'NOT restorable'}, "
            f"{self.seconds:.1f} s, seed {self.seed}"
        )


def _check_save_run(
    lines: list[list[str]],
    stored: dict[int, tuple[str, str]],
    known: dict[int, str],
    deleted: set[int],
    figures: SaveFigures,
    run: int,
) -> None:
    """Compare what the child acknowledged (and announced) with what is stored."""
    pending: list[str] | None = None  # the last intent not (yet) acknowledged
    for words in lines:
        if words[:1] == ["intent"]:
            pending = words
        elif words[:1] == ["ack"]:
            figures.operations_acknowledged += 1
            consultation_id = int(words[2])
            if words[1] == "save":
                known[consultation_id] = words[4]
            else:
                known.pop(consultation_id, None)
                deleted.add(consultation_id)
            pending = None

    def lost(message: str) -> None:
        figures.lost_acks += 1
        figures.problems.append(f"run {run}: {message}")

    in_flight_id = pending[2] if pending else None
    for consultation_id, expected in sorted(known.items()):
        figures.consultations_checked += 1
        here = stored.get(consultation_id)
        in_flight = pending is not None and in_flight_id == str(consultation_id)
        if here is None:
            if not (in_flight and pending is not None and pending[1] == "delete"):
                lost(f"consultation {consultation_id} is missing")
        elif here[0] != expected:
            if in_flight and pending is not None and here[1] == pending[4]:
                figures.in_flight_completed += 1
            else:
                lost(f"consultation {consultation_id} is not its last acknowledged version")
    for consultation_id, here in sorted(stored.items()):
        if consultation_id in known:
            continue
        if consultation_id in deleted:
            lost(f"consultation {consultation_id} came back after its deletion")
        elif pending is not None and in_flight_id == "-" and here[1] == pending[4]:
            figures.in_flight_completed += 1
        else:
            lost(f"consultation {consultation_id} was never acknowledged")
    # What is stored now is what the next run must keep.
    known.clear()
    known.update({consultation_id: here[0] for consultation_id, here in stored.items()})


def run_save_kills(
    runs: int,
    seed: int,
    folder: Path,
    *,
    pause: tuple[float, float] = (0.0, 0.4),
    progress: bool = False,
) -> SaveFigures:
    """``runs`` children saving into one user.db, each killed at a random moment."""
    rng = random.Random(seed)
    figures = SaveFigures(seed=seed)
    db_path = folder / "data" / "user.db"
    known: dict[int, str] = {}
    deleted: set[int] = set()
    started = time.monotonic()

    def start(run: int) -> _Child:
        return _Child("save", str(db_path), str(rng.randrange(2**32)), str(run * SEQ_PER_RUN))

    upcoming = start(1)
    try:
        for run in range(1, runs + 1):
            child = upcoming
            child.wait_for(b"ready")
            child.go()
            if not child.wait_for(b"ack"):
                child.kill()
                raise RuntimeError(f"run {run}: the saving child ended: {child.output[-800:]!r}")
            # The next child imports while this one saves, so each run takes less time.
            upcoming = start(run + 1)
            time.sleep(rng.uniform(*pause))
            figures.kills += child.kill()
            figures.runs += 1
            problems = integrity_problems(db_path)
            if problems:
                figures.integrity_failures += 1
                figures.problems.append(f"run {run}: integrity: {problems[:3]}")
                break  # a damaged file cannot be checked further, nor used again
            _check_save_run(
                child.lines(), stored_consultations(db_path), known, deleted, figures, run
            )
            if progress and run % 50 == 0:
                print(f"  {run} runs, {time.monotonic() - started:.0f} s", flush=True)
    finally:
        upcoming.kill()
    figures.backup_restorable = backup_restores(db_path, folder / "restored")[0]
    figures.seconds = time.monotonic() - started
    return figures


# Schema upgrades ---------------------------------------------------------------------------


def make_old_database(target: Path, consultations: int = 200) -> Path:
    """A user.db at schema 0002, as release 0.1.0 wrote it, with ``consultations`` copies
    of the fixture's consultation (its 11 results each), so the upgrade takes a while."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(OLD_FIXTURE, target)
    connection = sqlite3.connect(target)
    try:
        with connection:
            columns = [row[1] for row in connection.execute("PRAGMA table_info(consultations)")]
            result_columns = [
                row[1] for row in connection.execute("PRAGMA table_info(test_results)")
            ]
            plain = [name for name in columns if name != "id"]
            child_columns = [name for name in result_columns if name not in ("id",)]
            for number in range(2, consultations + 1):
                connection.execute(
                    f"INSERT INTO consultations (id, {', '.join(plain)}) "
                    f"SELECT ?, {', '.join(plain)} FROM consultations WHERE id = 1",
                    (number,),
                )
                selected = ", ".join(
                    "?" if name == "consultation_id" else name for name in child_columns
                )
                connection.execute(
                    f"INSERT INTO test_results ({', '.join(child_columns)}) "
                    f"SELECT {selected} FROM test_results WHERE consultation_id = 1",
                    (number,),
                )
    finally:
        connection.close()
    return target


def _dump(db_path: Path) -> list[str]:
    connection = sqlite3.connect(db_path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def _revision(db_path: Path) -> str | None:
    from sdm_app.storage.user_db import current_revision

    return current_revision(db_path)


@dataclass
class MigrationFigures:
    runs: int = 0
    kills: int = 0  # killed before the upgrade finished
    finished_first: int = 0  # the upgrade was done before the kill landed (not counted)
    untouched: int = 0  # the old file, byte for byte
    old_intact: int = 0  # the old revision with the old content (after SQLite's recovery)
    upgraded: int = 0  # fully upgraded
    half: int = 0  # anything else: a failure
    integrity_failures: int = 0
    next_start_failures: int = 0  # the next start did not upgrade it completely
    backups_made: int = 0
    backups_restorable: int = 0
    upgrade_seconds: float = 0.0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"upgrades: {self.kills} SIGKILLs during an upgrade of {self.upgrade_seconds:.2f} s "
            f"({self.finished_first} more runs finished before the kill); after the kill: "
            f"{self.untouched} untouched, {self.old_intact} old and intact, "
            f"{self.upgraded} upgraded, {self.half} half-upgraded, "
            f"{self.integrity_failures} integrity failures, "
            f"{self.next_start_failures} failed next starts; newest backup restorable "
            f"{self.backups_restorable} of {self.backups_made} (no backup yet in the others), "
            f"{self.seconds:.1f} s"
        )


def run_migration_kills(
    kills: int, seed: int, folder: Path, *, consultations: int = 200, progress: bool = False
) -> MigrationFigures:
    """Kill ``kills`` upgrades of an old user.db at random moments within their time."""
    rng = random.Random(seed)
    figures = MigrationFigures()
    started = time.monotonic()
    template = make_old_database(folder / "template" / "user.db", consultations)
    template_bytes = template.read_bytes()
    old_dump = _dump(template)

    def child_for(run: int) -> tuple[_Child, Path]:
        db_path = folder / f"run-{run}" / "data" / "user.db"
        db_path.parent.mkdir(parents=True)
        shutil.copyfile(template, db_path)
        return _Child("migrate", str(db_path)), db_path

    # How long an upgrade takes, timed by the child itself, uninterrupted.
    timings = []
    new_dump: list[str] = []
    for run in range(3):
        child, db_path = child_for(-1 - run)
        child.wait_for(b"ready")
        go = time.monotonic()
        child.go()
        if not child.wait_for(b"done", 120.0):
            raise RuntimeError(f"the upgrade failed: {child.output[-800:]!r}")
        timings.append(time.monotonic() - go)
        child.kill()
        if run == 0:
            new_dump = _dump(db_path)
    window = statistics.median(timings)
    figures.upgrade_seconds = window

    upcoming = child_for(1)
    run = 0
    while figures.kills < kills and run < kills * 3:
        run += 1
        child, db_path = upcoming
        child.wait_for(b"ready")
        child.go()
        upcoming = child_for(run + 1)
        # Spread over the whole upgrade (a few land after it), with more early on, where
        # the backup and the safety copy are made.
        early = rng.random() < 0.3
        time.sleep(rng.uniform(0.0, window * (0.25 if early else 1.2)))
        child.kill()
        figures.runs += 1
        if any(words[:1] == ["done"] for words in child.lines()):
            figures.finished_first += 1
            shutil.rmtree(db_path.parent.parent)
            continue
        figures.kills += 1
        _check_killed_upgrade(
            db_path, template_bytes, old_dump, new_dump, figures, run, folder / "restored"
        )
        shutil.rmtree(db_path.parent.parent)
        if progress and figures.kills % 10 == 0:
            print(
                f"  {figures.kills} upgrade kills, {time.monotonic() - started:.0f} s", flush=True
            )
    upcoming[0].kill()
    figures.seconds = time.monotonic() - started
    return figures


def _check_killed_upgrade(
    db_path: Path,
    template_bytes: bytes,
    old_dump: list[str],
    new_dump: list[str],
    figures: MigrationFigures,
    run: int,
    scratch: Path,
) -> None:
    from sdm_app.storage.migrations import HEAD_REVISION
    from sdm_app.storage.user_db import UserDatabaseError, list_backups, migrate

    def problem(message: str) -> None:
        figures.problems.append(f"upgrade run {run}: {message}")

    companions = [db_path.with_name(db_path.name + extra) for extra in ("-wal", "-journal")]
    if db_path.read_bytes() == template_bytes and not any(p.exists() for p in companions):
        figures.untouched += 1
    else:
        problems = integrity_problems(db_path)
        revision = _revision(db_path)
        if problems:
            figures.integrity_failures += 1
            problem(f"integrity: {problems[:3]}")
        elif revision == OLD_REVISION and _dump(db_path) == old_dump:
            figures.old_intact += 1
        elif revision == HEAD_REVISION and _dump(db_path) == new_dump:
            figures.upgraded += 1
        else:
            figures.half += 1
            problem(f"half-upgraded (revision {revision})")
    if list_backups(db_path):
        figures.backups_made += 1
        ok, why = backup_restores(db_path, scratch)
        restored = scratch / db_path.name
        if ok and _revision(restored) == OLD_REVISION and _dump(restored) == old_dump:
            figures.backups_restorable += 1
        else:
            problem(f"the newest backup does not restore: {why or 'different content'}")
    try:
        migrate(db_path)  # the next start
    except UserDatabaseError as error:
        figures.next_start_failures += 1
        problem(f"the next start cannot upgrade: {error}")
        return
    if _revision(db_path) != HEAD_REVISION or _dump(db_path) != new_dump:
        figures.next_start_failures += 1
        problem("the next start left the database different from a clean upgrade")


# Command line ------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=500, help="kills during saves")
    parser.add_argument("--migration-runs", type=int, default=50, help="kills during upgrades")
    parser.add_argument("--seed", type=int, help="random seed (default: a new one)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        role, *rest = args.child
        if role == "save":
            return child_save(Path(rest[0]), int(rest[1]), int(rest[2]))
        return child_migrate(Path(rest[0]))
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    with tempfile.TemporaryDirectory(prefix="sdm-stress-") as scratch:
        saves = run_save_kills(args.runs, seed, Path(scratch) / "saves", progress=True)
        print(saves.line(), flush=True)
        upgrades = run_migration_kills(
            args.migration_runs, seed, Path(scratch) / "upgrades", progress=True
        )
        print(upgrades.line(), flush=True)
    for problem in (saves.problems + upgrades.problems)[:20]:
        print("problem:", problem)
    failed = (
        saves.integrity_failures
        + saves.lost_acks
        + (not saves.backup_restorable)
        + upgrades.integrity_failures
        + upgrades.half
        + upgrades.next_start_failures
        + (upgrades.backups_made - upgrades.backups_restorable)
    )
    print("result:", "PASS" if failed == 0 else "FAIL")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
