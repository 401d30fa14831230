"""Hostile files: every import has limits (size, unpacked size, columns, field length, nesting,
time), each hostile file is refused with a Dutch message naming the file and the problem, and the
database is left exactly as it was. The Data page reads an upload in a process of its own, outside
the write gate: other sessions' queries never wait for a file being refused. An XLSX formula (an
external link's stored value) is refused, not read as data."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from dashboard import connection
from ivpdata.__main__ import main
from ivpdata.config import PROJECT_ROOT
from ivpdata.importing import import_bytes, limits, run_import
from ivpdata.importing.prepare import READER
from ivpdata.importing.templates import MEASURES
from ivpdata.validate import DataError
from tests.support.dbstate import state
from tests.test_import_templates import MEASURE_ROWS, filled_xlsx
from tests.test_importing import HEADER, police_csv

POLICE_HEADER = ";".join(HEADER)
POLICE_ROW = "0;1.1.1;BU05050101;2024MM01;3"


def sheet_xml(rows: int) -> bytes:
    """A worksheet of `rows` identical rows: it packs about a thousand times smaller."""
    row = '<row><c t="inlineStr"><is><t>1.1.1</t></is></c><c t="inlineStr"><is><t>BU05050101</t></is></c></row>'
    return (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"><sheetData>' + row * rows + "</sheetData></worksheet>"
    ).encode()


def xlsx_with_sheet(sheet: bytes, declared: int | None = None) -> bytes:
    """A real workbook whose first sheet is `sheet`; with `declared`, the archive's directory
    states that size for it (a zip may lie about what it unpacks to)."""
    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    packed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as source, zipfile.ZipFile(packed, "w") as target:
        for member in source.infolist():
            data = sheet if member.filename == "xl/worksheets/sheet1.xml" else source.read(member)
            target.writestr(member.filename, data, compress_type=zipfile.ZIP_DEFLATED)
            if declared is not None and member.filename == "xl/worksheets/sheet1.xml":
                target.getinfo(member.filename).file_size = declared  # written to the directory on close
    return packed.getvalue()


HOSTILE = {
    # name: (content, part of the message)
    "bom.xlsx": (lambda: xlsx_with_sheet(sheet_xml(10), declared=1_500_000_000), "pakt uit tot 1.431 MB"),
    "bom-ratio.xlsx": (lambda: xlsx_with_sheet(sheet_xml(100_000)), "keer groter uit dan het is"),
    "liegt.xlsx": (lambda: xlsx_with_sheet(sheet_xml(100_000), declared=50_000), "geen leesbaar zip-bestand"),
    "breed.csv": (
        lambda: (";".join(f"k{i}" for i in range(20_000)) + "\n" + ";".join("1" * 20_000) + "\n").encode(),
        "het bestand heeft 20.000 kolommen; de grens is 500",
    ),
    "lang-veld.csv": (  # 128 KiB
        lambda: f"{POLICE_HEADER}\n{POLICE_ROW}\n0;1.1.1;BU05050101;2024MM01;{'9' * 131_072}\n".encode(),
        "row 3, column 'GeregistreerdeMisdrijven_1': een veld van 131.072 tekens; de grens is 32.767 tekens per veld",
    ),
    "langer-veld.csv": (  # over what Python's csv module reads
        lambda: f"{POLICE_HEADER}\n0;1.1.1;BU05050101;2024MM01;{'9' * 200_000}\n".encode(),
        "row 2: een veld is langer dan 32.767 tekens",
    ),
    "lang-veld-verderop.csv": (  # below the rows read to find the header: read by pandas, checked after
        lambda: (
            f"{POLICE_HEADER}\n" + f"{POLICE_ROW}\n" * 40 + f"0;1.1.1;BU05050101;2024MM01;{'9' * 40_000}\n"
        ).encode(),
        "row 42, column 'GeregistreerdeMisdrijven_1': een veld van 40.000 tekens; de grens is 32.767",
    ),
    "diep.json": (lambda: ("[" * 10_000 + "]" * 10_000).encode(), "de JSON is dieper genest dan 8 niveaus"),
    "diep-record.json": (
        lambda: json.dumps({"value": [{"ID": 0, "SoortMisdrijf": json.loads("[" * 50 + "]" * 50)}]}).encode(),
        "de JSON is dieper genest dan 8 niveaus",
    ),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_file_is_refused_in_dutch_and_changes_nothing(db_file, tmp_path, name):
    make, message = HOSTILE[name]
    path = tmp_path / name
    path.write_bytes(make())
    before = state(db_file)
    with pytest.raises(DataError) as error:
        run_import(path, db_file, None, "tester", data_dir=tmp_path / "data")
    assert str(error.value).startswith(name)
    assert message in str(error.value)
    assert state(db_file) == before
    assert not (tmp_path / "data").exists()  # nothing kept either


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(db_file, tmp_path):
    path = tmp_path / "groot.csv"
    with path.open("wb") as file:  # a sparse file: 201 MB long, no disk used
        file.write(f"{POLICE_HEADER}\n{POLICE_ROW}\n".encode())
        file.truncate(201 * limits.MB)
    before = state(db_file)
    with pytest.raises(DataError, match=r"groot\.csv: het bestand is 201 MB; de grens is 200 MB"):
        run_import(path, db_file, None, "tester")
    assert state(db_file) == before


def test_an_upload_is_read_in_its_own_process_and_refused_with_the_same_message(db_file):
    before = state(db_file)
    for name in ("bom.xlsx", "diep.json", "breed.csv"):
        make, message = HOSTILE[name]
        with pytest.raises(DataError) as error:
            import_bytes(make(), name, db_file, None, "tester", preview=True, isolated=True)
        assert str(error.value).startswith(name) and message in str(error.value)
    assert state(db_file) == before


def readers_of_this_process() -> list[str]:
    """The reading processes started by this test process that still run."""
    found = []
    for folder in Path("/proc").glob("[0-9]*"):
        try:
            status, command = (folder / "status").read_text(), (folder / "cmdline").read_bytes()
        except OSError:
            continue
        if f"PPid:\t{os.getpid()}\n" in status and b"read_in_child" in command:
            found.append(folder.name)
    return found


def test_an_upload_over_the_time_budget_is_stopped_and_refused(db_file, tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "READ_SECONDS", 0.01)  # less than starting the reading process takes
    raw = police_csv(tmp_path / "47022NED.csv").read_bytes()
    before = state(db_file)
    with pytest.raises(DataError, match=r"47022NED\.csv: het bestand kon niet binnen 0,01 seconden worden gelezen"):
        import_bytes(raw, "47022NED.csv", db_file, None, "tester", isolated=True, data_dir=tmp_path / "data")
    assert readers_of_this_process() == []  # the reading process was stopped
    assert state(db_file) == before
    assert not (tmp_path / "data").exists()


def test_the_command_line_import_has_the_same_time_budget(db_file, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(limits, "READ_SECONDS", 0.01)
    path = police_csv(tmp_path / "47022NED.csv")
    before = state(db_file)
    assert main(["import", str(path), "--db", str(db_file), "--data-dir", str(tmp_path / "data")]) == 1
    assert "het bestand kon niet binnen 0,01 seconden worden gelezen" in capsys.readouterr().err
    assert readers_of_this_process() == []
    assert state(db_file) == before


def test_an_upload_within_the_limits_is_read_in_its_own_process_and_imported(db_file, tmp_path):
    raw = police_csv(tmp_path / "47022NED.csv").read_bytes()
    outcome = import_bytes(raw, "47022NED.csv", db_file, None, "tester", isolated=True, data_dir=tmp_path / "data")
    assert (outcome.new, outcome.kind) == (3, "politie-misdrijven-maand")
    assert len((tmp_path / "data" / "imports" / "manifest.csv").read_text(encoding="utf-8").splitlines()) == 2


# --- XLSX formulas: a stored value of an external link is not data ----------------------------------


def with_formula(path: Path, placeholder: str, formula: str, cached: str) -> Path:
    """The workbook at `path` with the cell holding `placeholder` turned into a formula whose stored
    value is `cached`, as Excel saves a cell linked to another workbook."""
    packed = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename.startswith("xl/worksheets/"):
                cell = rf'<c r="([A-Z]+\d+)"([^>]*) t="inlineStr"><is><t>{placeholder}</t></is></c>'
                linked = rf'<c r="\1"\2 t="str"><f>{formula}</f><v>{cached}</v></c>'
                data = re.sub(cell.encode(), linked.encode(), data)
            target.writestr(member, data)
    path.write_bytes(packed.getvalue())
    return path


def test_an_xlsx_formula_linking_another_workbook_is_refused(db_file, tmp_path):
    row = {**MEASURE_ROWS[0], "omschrijving": "PLAATSHOUDER"}
    path = with_formula(
        filled_xlsx(tmp_path / "maatregelen.xlsx", MEASURES, [row]), "PLAATSHOUDER", "[1]Blad1!A1", "Cameratoezicht"
    )
    before = state(db_file)
    with pytest.raises(DataError) as error:
        run_import(path, db_file, None, "tester")
    message = str(error.value)
    assert message.startswith("maatregelen.xlsx, row 3: werkblad 'Maatregelen', cel C3: een formule (=[1]Blad1!A1)")
    assert "verwijst naar een ander werkboek" in message and "Plakken speciaal → Waarden" in message
    assert state(db_file) == before


# --- The Data page: the file is read in its own process, outside the write gate ------------------------


@dataclass
class Upload:
    """What st.file_uploader returns, for AppTest (which cannot upload)."""

    name: str
    raw: bytes

    def getvalue(self) -> bytes:
        return self.raw


@pytest.fixture
def data_page(db_file, tmp_path, monkeypatch):
    """The Data page on a copy of the database; `events` records, in order, when a process is
    started to read a file ('lezen') and when the write gate is taken ('schrijven')."""
    monkeypatch.setenv("IVP_DB", str(db_file))
    monkeypatch.setenv("IVP_DATA_DIR", str(tmp_path / "data"))
    events: list[str] = []
    real_writing, real_run = connection.writing, subprocess.run

    @contextmanager
    def writing():
        events.append("schrijven")
        with real_writing():
            yield

    def run_process(command, *args, **kwargs):
        if command == READER:
            events.append("lezen")
        return real_run(command, *args, **kwargs)

    monkeypatch.setattr(connection, "writing", writing)
    monkeypatch.setattr(subprocess, "run", run_process)

    def run(upload: Upload) -> tuple[AppTest, list[str]]:
        monkeypatch.setattr(streamlit, "file_uploader", lambda *args, **kwargs: upload)
        at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60).run()
        at.switch_page("dashboard/pages/data.py").run()
        return at, events

    return run


def test_the_data_page_refuses_a_zip_bomb_without_taking_the_write_gate(data_page, db_file):
    before = state(db_file)
    name = "![p](http://host/p.png).xlsx"
    at, events = data_page(Upload(name, HOSTILE["bom.xlsx"][0]()))
    assert not at.exception
    assert events == ["lezen"]  # read in its own process; the gate was never taken
    assert "kan niet worden geladen" in at.error[0].value
    assert "![p](http" not in at.error[0].value  # the file name is shown as text, not as an image
    problems = at.table[0].value.to_string().replace("\\", "")  # shown as Markdown, escaped
    assert "pakt uit tot 1.431 MB" in problems
    assert state(db_file) == before
    assert any("Grenzen: CSV, JSON en XLSX tot 200 MB" in caption.value for caption in at.caption)


def test_the_data_page_reads_a_good_file_before_it_takes_the_write_gate(data_page, db_file, tmp_path):
    before = state(db_file)
    at, events = data_page(Upload("47022NED.csv", police_csv(tmp_path / "47022NED.csv").read_bytes()))
    assert not at.exception
    assert events == ["lezen", "schrijven"]  # the gate only for the work on the database
    assert "Voorbeeld: wat er verandert" in [header.value for header in at.subheader]
    assert state(db_file) == before  # a preview
