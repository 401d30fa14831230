"""Writes publish database snapshots (issue 19): a reader in any process never sees a write in
progress, the command-line import works while the app reads, two imports land one after the
other, and a killed import leaves the published database as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from ivpdata import snapshot
from ivpdata.config import PROJECT_ROOT
from ivpdata.importing import run_import
from ivpdata.importing.kept import manifest_entries
from ivpdata.validate import DataError
from tests.support.dbstate import state
from tests.test_importing import police_csv

TIMEOUT = 60


def _rows(year: int, count: int) -> list[tuple[str, str, str, str]]:
    return [("1.1.1 ", "BU05050101", f"{year}MM{month:02d}", str(count)) for month in range(1, 13)]


def _cli_import(db: Path, csv: Path, data_dir: Path | None = None) -> subprocess.Popen[str]:
    """`python -m ivpdata import`, keeping its copy in `data_dir` (never the project's data/)."""
    kept = data_dir or db.parent / "data"
    command = [sys.executable, "-m", "ivpdata", "import", str(csv), "--db", str(db), "--by", "geplande taak"]
    command += ["--data-dir", str(kept)]
    return subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _loaded_files(db: Path) -> list[str]:
    with duckdb.connect(str(snapshot.current(db)), read_only=True) as con:
        return [row[0] for row in con.execute("SELECT file_name FROM load_history ORDER BY loaded_at").fetchall()]


def test_the_command_line_import_lands_while_another_process_reads(db_file, tmp_path):
    reader = duckdb.connect(str(snapshot.current(db_file)), read_only=True)  # the app, in its own process
    sql = "SELECT count(*) FROM load_history"
    process = _cli_import(db_file, police_csv(tmp_path / "47022NED.csv", _rows(2024, 7)))
    out, err = process.communicate(timeout=TIMEOUT)
    assert process.returncode == 0, err
    assert "Imported:" in out
    assert reader.execute(sql).fetchone() == (0,)  # an open reader keeps its snapshot
    reader.close()
    assert _loaded_files(db_file) == ["47022NED.csv"]  # a new reader gets the published one


def test_an_open_session_shows_the_command_line_import_at_its_next_rerun(db_file, tmp_path, monkeypatch):
    monkeypatch.setenv("IVP_DB", str(db_file))
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT).run()
    at.switch_page("dashboard/pages/data.py").run()
    assert "Nog geen bestanden geladen" in " ".join(c.value for c in at.caption)
    process = _cli_import(db_file, police_csv(tmp_path / "nacht.csv", _rows(2024, 7)))
    assert process.wait(timeout=TIMEOUT) == 0
    at.run()  # the same session, no restart
    assert not at.exception
    history = at.dataframe[0].value
    assert history[["Bestand", "Door"]].values.tolist() == [["nacht.csv", "geplande taak"]]
    assert _open_in_this_process(db_file.parent) == {snapshot.current(db_file)}  # the old one is closed


def _open_in_this_process(folder: Path) -> set[Path]:
    """The database files under `folder` this process has open (a removed one still takes disk space)."""
    opened = set()
    for descriptor in Path("/proc/self/fd").iterdir():
        try:
            opened.add(descriptor.readlink())
        except OSError:  # closed meanwhile
            continue
    return {path for path in opened if path.is_relative_to(folder.resolve()) and ".duckdb" in path.name}


def test_two_imports_at_once_both_land_in_the_order_they_are_kept(db_file, tmp_path):
    data = tmp_path / "data"
    first = _cli_import(db_file, police_csv(tmp_path / "een.csv", _rows(2023, 3)), data)
    second = _cli_import(db_file, police_csv(tmp_path / "twee.csv", _rows(2024, 5)), data)
    for process in (first, second):
        _, err = process.communicate(timeout=TIMEOUT)
        assert process.returncode == 0, err
    landed = _loaded_files(db_file)
    assert sorted(landed) == ["een.csv", "twee.csv"]
    kept = [entry["file_name"] for entry in manifest_entries(data / "imports" / "manifest.csv")]
    assert kept == landed  # a rebuild replays them in the order they landed


_HOLD_THE_LOCK = """
import sys, time
from pathlib import Path
from ivpdata import snapshot
with snapshot.exclusive(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def test_an_import_that_cannot_get_the_lock_is_told_to_try_again_and_changes_nothing(db_file, tmp_path, monkeypatch):
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_THE_LOCK, str(db_file), "30"], cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        before = state(db_file)
        monkeypatch.setattr(snapshot, "WAIT_SECONDS", 0.3)
        with pytest.raises(DataError) as refused:
            run_import(police_csv(tmp_path / "47022NED.csv"), db_file, None, "tester")
        assert str(refused.value) == (
            "47022NED.csv: er loopt al een andere import of build op deze database; "
            "er is niets geladen, probeer het over een minuut opnieuw"
        )
        assert state(db_file) == before
    finally:
        holder.kill()
        holder.wait()
    run_import(police_csv(tmp_path / "47022NED.csv"), db_file, None, "tester")  # a dead holder frees the lock
    assert _loaded_files(db_file) == ["47022NED.csv"]


def _writing(db: Path) -> bool:
    """A new snapshot is being written: a file in the snapshot folder that the database is not."""
    folder = db.parent / snapshot.SNAPSHOT_DIR
    return folder.exists() and any(path != snapshot.current(db) for path in folder.iterdir())


@pytest.mark.parametrize("moment", ["while reading the file", "while writing the snapshot"])
def test_a_killed_import_leaves_the_published_database_whole(db_file, tmp_path, moment):
    """Killed at either moment of its run, an import has changed nothing; the next one lands, and
    what the killed one left behind is cleared away."""
    run_import(police_csv(tmp_path / "eerder.csv", _rows(2022, 1)), db_file, None, "tester")
    before = state(db_file)
    process = _cli_import(db_file, police_csv(tmp_path / "47022NED.csv", _rows(2024, 7)))
    deadline = time.monotonic() + TIMEOUT
    while moment.endswith("snapshot") and not _writing(db_file) and time.monotonic() < deadline:
        time.sleep(0.005)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert state(db_file) == before
    run_import(police_csv(tmp_path / "later.csv", _rows(2023, 2)), db_file, None, "tester")
    assert _loaded_files(db_file) == ["eerder.csv", "later.csv"]
    left = [path.name for path in (db_file.parent / snapshot.SNAPSHOT_DIR).iterdir()]
    assert len(left) == 2 and all(name.endswith(".duckdb") for name in left)  # the two published ones


def test_old_snapshots_are_removed_while_a_reader_keeps_reading_its_own(db_file, tmp_path):
    run_import(police_csv(tmp_path / "0.csv", _rows(2020, 1)), db_file, None, "tester")
    first = duckdb.connect(str(snapshot.current(db_file)), read_only=True)
    for number in range(1, 5):
        run_import(police_csv(tmp_path / f"{number}.csv", _rows(2020 + number, 1)), db_file, None, "tester")
    assert len(list((db_file.parent / snapshot.SNAPSHOT_DIR).iterdir())) == snapshot.KEEP
    assert first.execute("SELECT file_name FROM load_history").fetchall() == [("0.csv",)]
    first.close()
    assert _loaded_files(db_file) == ["0.csv", "1.csv", "2.csv", "3.csv", "4.csv"]
