"""Published database snapshots: a reader never sees a write in progress, in any process.

The database a user names (`data/ivp.duckdb`) is a symbolic link to a snapshot file in
`.snapshots/` beside it, which is never written again once published. A write (an import, a
build, an edit of a presentation) takes the database's write lock, copies the current snapshot,
changes and commits the copy, and publishes it by replacing the link in one atomic rename.
Readers resolve the link when they open the database, so a session keeps reading the snapshot
it started on and moves to the new one at its next rerun; a replica needs no restart.

The write lock is an exclusive `flock` on `<database>.lock`, so writes of any number of
processes (the app's replicas, `python -m ivpdata import` from a scheduled task) land one after
the other. A writer that cannot get the lock within its wait is told so (`WriteBusyError`) and
has changed nothing."""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SNAPSHOT_DIR = ".snapshots"
KEEP = 3  # published snapshots kept: the current one and the two before it, for readers still opening them
WAIT_SECONDS = 120.0  # how long a write waits for another one to finish before it gives up
_POLL_SECONDS = 0.05
_WRITING = ".writing"  # the suffix of a snapshot being written; what a killed writer leaves is removed


class WriteBusyError(Exception):
    """Another write held the database's lock for longer than this one would wait."""

    user_message = (
        "Er loopt al een import of build op deze database (door een andere gebruiker of een geplande taak). "
        "Er is niets gewijzigd: probeer het over een minuut opnieuw."
    )


def current(db: Path) -> Path:
    """The snapshot file `db` names now: the target of its link, or `db` itself when it is a plain
    file (a database built before snapshots, or copied by hand)."""
    return Path(db).resolve()


def version(db: Path) -> str:
    """What changes whenever another snapshot is published (or a plain file is rewritten): the
    snapshot's name, time and size. Empty when there is no database."""
    path = current(db)
    try:
        stat = path.stat()
    except FileNotFoundError:
        return ""
    return f"{path.name}:{stat.st_mtime_ns}:{stat.st_size}"


_HELD = threading.local()  # the databases whose write lock this thread holds (a write inside a write)
_IN_PROCESS: dict[Path, threading.Lock] = {}  # flock is per open file: threads of one process queue here first
_IN_PROCESS_GUARD = threading.Lock()


def _thread_lock(db: Path) -> threading.Lock:
    with _IN_PROCESS_GUARD:
        return _IN_PROCESS.setdefault(db, threading.Lock())


@contextmanager
def exclusive(db: Path, wait: float | None = None) -> Iterator[None]:
    """Hold the database's write lock, across threads and processes, waiting at most `wait`
    seconds for another write to finish (then `WriteBusyError`, nothing changed). A thread that
    holds it already may take it again."""
    wait = WAIT_SECONDS if wait is None else wait
    key = Path(db).parent.resolve() / Path(db).name  # the link itself, not its snapshot
    held: set[Path] = _HELD.__dict__.setdefault("databases", set())
    if key in held:
        yield
        return
    deadline = time.monotonic() + wait
    in_process = _thread_lock(key)
    if not in_process.acquire(timeout=max(wait, 0.0)):
        raise WriteBusyError(f"write lock of {key} held by another thread for over {wait:.0f} s")
    try:
        key.parent.mkdir(parents=True, exist_ok=True)
        with key.with_name(f"{key.name}.lock").open("a+b") as lock_file:
            _flock(lock_file.fileno(), deadline, key)
            held.add(key)
            try:
                yield
            finally:
                held.discard(key)
                fcntl.flock(lock_file.fileno(), fcntl.LOCK_UN)
    finally:
        in_process.release()


def _flock(descriptor: int, deadline: float, key: Path) -> None:
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise WriteBusyError(f"write lock of {key} held by another process") from None
            time.sleep(_POLL_SECONDS)


@contextmanager
def writable_copy(db: Path, *, fresh: bool = False) -> Iterator[Path]:
    """Inside `exclusive(db)`: a new snapshot file to write, a copy of the current one (or no file
    at all when `fresh`, for a build). Published as `db` when the block ends; removed if it raises,
    leaving `db` exactly as it was. Close every connection to it before the block ends."""
    db = Path(db)
    folder = db.parent / SNAPSHOT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    working = folder / f"{db.stem}-{time.time_ns()}-{os.getpid()}{db.suffix}{_WRITING}"
    try:
        if not fresh and current(db).exists():
            shutil.copyfile(current(db), working)
        yield working
        _publish(db, working)
    except BaseException:
        _remove(working)
        _remove(working.with_name(working.name + ".wal"))
        raise
    _prune(db, folder)


def _publish(db: Path, working: Path) -> None:
    """Point `db` at the written snapshot in one rename: a reader opens the old one or the new one."""
    _remove(working.with_name(working.name + ".wal"))  # empty after a checkpoint
    with working.open("rb+") as written:
        os.fsync(written.fileno())
    snapshot = working.with_suffix("")  # without _WRITING: a published name
    working.replace(snapshot)
    link = db.with_name(f"{db.name}.link-{os.getpid()}")
    link.unlink(missing_ok=True)
    link.symlink_to(Path(SNAPSHOT_DIR) / snapshot.name)  # relative: the folder may move as a whole
    link.replace(db)
    directory = os.open(db.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _prune(db: Path, folder: Path) -> None:
    """Remove snapshots older than the last KEEP, and what a crashed writer left. Runs under the
    write lock; a reader that still has a removed snapshot open keeps reading it (the file lives
    until it is closed)."""
    published_name = re.compile(rf"{re.escape(db.stem)}-\d+-\d+{re.escape(db.suffix)}")
    ours = [path for path in folder.iterdir() if published_name.match(path.name)]
    published = sorted((path for path in ours if published_name.fullmatch(path.name)), key=_age)
    keep = {current(db), *published[-KEEP:]}
    for path in ours:
        if path not in keep:
            _remove(path)


def _age(path: Path) -> int:
    return path.stat().st_mtime_ns


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)
