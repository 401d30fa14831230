"""Reading a table for an import (issue 18): a regular CSV is parsed by Arrow's reader, and every
other file by pandas as before; both give the same text cells and row numbers. An import loads
openpyxl only for an XLSX file."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from ivpdata.importing import run_import
from ivpdata.importing.reading import _parse_regular_csv, pandas_csv, read_table
from ivpdata.validate import DataError
from tests.support.dbstate import state
from tests.test_importing import police_csv

REGULAR = [
    'a;b\n"q""x";""\n',  # doubled quotes, an empty quoted value
    'a;b\n"1;2";3\n',  # the delimiter inside quotes
    'a;b\nab"c;"d"e\n',  # stray quotes
    " a ; b \n 007 ;x \n",  # spaces and leading zeros kept (stripped later)
    "a;b\nNA;null\n",  # no missing-value words
    'a;b\n"x\r\ny";2\r\n',  # a line break inside quotes, Windows line ends
    "a;b\r1;2\r",  # old Mac line ends
    "a;b\n1;2",  # no final line end
    "a;b\n1;2\n\n",  # a blank line at the end
    "a;b\n\n1;2\n",  # a blank line inside
    "titel\n\na;b\n1;2\n",  # title rows above the header (skipped: header_index 2)
    "a\tb\n1\t2\n",
    "a;b\nÅ;€\n",
]


@pytest.mark.parametrize("text", REGULAR)
def test_arrow_reads_a_regular_csv_as_pandas_does(text):
    delimiter = "\t" if "\t" in text else ";"
    header_index = 2 if text.startswith("titel") else 0
    fast = _parse_regular_csv(text.encode(), delimiter, header_index)
    assert fast is not None
    pd.testing.assert_frame_equal(fast, pandas_csv(text, delimiter, header_index))


@pytest.mark.parametrize("text", ["a;b;c\n1;2;3\nvoetnoot\n", "a;b\n1;2;3\n"])
def test_a_table_of_uneven_rows_goes_to_the_pandas_reader(text):
    assert _parse_regular_csv(text.encode(), ";", 0) is None


def test_cells_and_row_numbers_of_a_regular_file():
    raw = b'Titel van de tabel\n\n"Code";"Naam";"Aantal"\n"0363";"A;B";" 7 "\n\n"0505";"C";"1.234"\n'
    frame, notes = read_table(raw, "regelmatig.csv")
    assert frame.to_dict("records") == [
        {"Code": "0363", "Naam": "A;B", "Aantal": "7", "_row": 4},
        {"Code": "0505", "Naam": "C", "Aantal": "1.234", "_row": 6},
    ]
    assert "2 titelregel(s) boven de tabel overgeslagen" in notes


def test_footnotes_below_a_table_still_read_and_noted():
    raw = b"Code;Naam;Aantal\n0363;A;7\n0505;C;8\nBron: CBS\n"
    frame, notes = read_table(raw, "voetnoot.csv")
    assert list(frame["_row"]) == [2, 3]
    assert "1 voetnoot-regel(s) onder de tabel overgeslagen" in notes


def test_a_wider_row_is_refused_naming_the_file():
    rows = "".join(f"{i:04d};A\n" for i in range(40))  # below the rows the header is looked for in
    with pytest.raises(DataError) as refused:
        read_table(f"Code;Naam\n{rows}0505;C;extra\n".encode(), "breed.csv")
    assert "breed.csv" in str(refused.value) and "geen leesbaar CSV-bestand" in str(refused.value)


def test_importing_does_not_load_openpyxl():
    code = "import sys, ivpdata.importing; print('openpyxl' in sys.modules)"
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "False"


def test_problems_of_repeated_values_name_each_row_and_skip_other_gemeenten(db_file, tmp_path):
    """Values are tested once per distinct value: the rows that hold a bad one are still each named,
    in file order, and the same bad value in a row of another gemeente is skipped, not refused."""
    rows = [("1.1.1", "BU03630000", "2024MM01", "drie")]  # another gemeente: skipped
    rows += [("1.1.1", "BU05050101", f"2024MM{m:02d}", "3") for m in range(1, 4)]
    rows += [("1.2.3", "BU05050101", f"2023MM{m:02d}", "drie") for m in range(1, 13)]
    path = police_csv(tmp_path / "herhaald.csv", rows)
    before = state(db_file)
    with pytest.raises(DataError) as error:
        run_import(path, db_file, None, "tester")
    lines = [str(p) for p in error.value.problems]
    assert lines[:2] == [
        "herhaald.csv, row 6, column 'GeregistreerdeMisdrijven_1': 'drie' is geen aantal",
        "herhaald.csv, row 7, column 'GeregistreerdeMisdrijven_1': 'drie' is geen aantal",
    ]
    assert lines[-1] == "herhaald.csv, column 'GeregistreerdeMisdrijven_1': en nog 2 rijen met hetzelfde probleem"
    assert len(lines) == 11
    assert state(db_file) == before
