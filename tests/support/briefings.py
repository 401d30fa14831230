"""Driehoeksrapportages gathered and rendered once per test process.

Gathering a public report of Dordrecht takes seconds (the release of every year), and several tests
of tests/test_briefing.py and tests/test_briefing_public.py read the same report; both modules run
on one xdist worker (their `xdist_group`), so each report is made once per run. A test that
changes a report renders its own copy."""

from __future__ import annotations

import datetime as dt
import io

import duckdb
import pypdf

from ivpdata import briefing
from ivpdata.briefing_pdf import render_pdf
from ivpdata.config import load_settings

GROUP = "briefing"  # the xdist group of the modules that share these reports
SETTINGS = load_settings()

Made = tuple[briefing.Briefing, bytes, list[str]]
_MADE: dict[tuple[str, str, dt.date, dt.date, bool], Made] = {}


def texts(pdf: bytes) -> list[str]:
    """Text per page, whitespace collapsed (a wrapped line reads as one)."""
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def made(con: duckdb.DuckDBPyConnection, gemeente: str, start: dt.date, end: dt.date, public: bool = False) -> Made:
    """The briefing of (gemeente, first month, last month, public) on the database of `con`: the
    report, its PDF and the PDF's text per page."""
    key = (_database(con), gemeente, *briefing.normalise(start, end), public)
    if key not in _MADE:
        report = briefing.gather(con, gemeente, start, end, SETTINGS, public=public)
        pdf = render_pdf(report)
        _MADE[key] = (report, pdf, texts(pdf))
    return _MADE[key]


def _database(con: duckdb.DuckDBPyConnection) -> str:
    row = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    assert row is not None and row[0], "reports are kept per database file"
    return str(row[0])
