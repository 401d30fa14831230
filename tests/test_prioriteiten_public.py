"""The public Prioriteiten page: incident indicators show the public release's figures (issue 14)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ivpdata.config import PROJECT_ROOT
from ivpdata.db import summarise_months
from tests.support.dbstate import one_row

TIMEOUT = 60
PLAN = "GM0505-ivp-2023-2026"
INDICATOR = "Overlastregistraties in Dordt-West per 1.000 inwoners"
WIJK = "WK050508"  # one of Dordt-West's wijken


@pytest.fixture
def small_wijk_db(built_db: Path, tmp_path: Path) -> Path:
    """The default database with only 2 overlast registrations in 2025 in one Dordt-West wijk (in one
    buurt): that wijk's total is hidden ('< 5'), so Dordt-West's 2025 figure is hidden too."""
    copy = tmp_path / "ivp.duckdb"
    shutil.copyfile(built_db, copy)
    con = duckdb.connect(str(copy))
    where = (
        "year = 2025 AND category_code IN (SELECT category_code FROM category_themes WHERE theme_code = 'overlast') "
        f"AND area_code IN (SELECT area_code FROM areas WHERE parent_code = '{WIJK}')"
    )
    first = one_row(
        con, f"SELECT min(area_code || '|' || month || '|' || category_code) FROM incident_counts WHERE {where}"
    )[0].split("|")
    con.execute(f"UPDATE incident_counts SET incident_count = 0 WHERE {where}")
    con.execute(
        "UPDATE incident_counts SET incident_count = 2 WHERE year = 2025 AND area_code = ? AND month = ? "
        "AND category_code = ?",
        [first[0], int(first[1]), first[2]],
    )
    summarise_months(con)  # as every writer of incident_counts does
    con.close()
    return copy


def _exact_rates(path: Path) -> dict[int, float]:
    """Dordt-West's overlast per 1,000 inhabitants per year, straight from the database."""
    con = duckdb.connect(str(path), read_only=True)
    rows = con.execute(
        """
        WITH counted AS (
            SELECT c.year, sum(c.incident_count) AS n FROM incident_counts AS c
            INNER JOIN areas AS a ON c.area_code = a.area_code
            INNER JOIN area_group_members AS m ON a.parent_code = m.area_code AND m.group_code = 'dordt-west'
            WHERE c.category_code IN (SELECT category_code FROM category_themes WHERE theme_code = 'overlast')
            GROUP BY c.year
        ), people AS (
            SELECT p.year, sum(p.inhabitants) AS inhabitants FROM population AS p
            INNER JOIN area_group_members AS m ON p.area_code = m.area_code AND m.group_code = 'dordt-west'
            GROUP BY p.year
        )
        SELECT counted.year, n * 1000.0 / inhabitants FROM counted INNER JOIN people USING (year)
        """
    ).fetchall()
    con.close()
    return {int(year): float(rate) for year, rate in rows}


def _row(path: Path, monkeypatch: pytest.MonkeyPatch, public: bool) -> tuple[pd.Series, AppTest]:
    """The Dordt-West indicator's row of the Prioriteiten table, in the internal or public view."""
    monkeypatch.setenv("IVP_DB", str(path))
    app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT)
    app.query_params["gemeente"] = "GM0505"
    app.query_params["plan"] = PLAN
    if public:
        app.query_params["openbaar"] = "ja"
    at = app.run()
    at.switch_page("dashboard/pages/prioriteiten.py").run()
    assert not at.exception
    assert at.toggle(key="openbaar").value is public
    table = at.dataframe[0].value
    row = table[table["Indicator"] == INDICATOR]
    assert len(row) == 1
    return row.iloc[0], at


def test_a_hidden_release_figure_is_hidden_on_the_public_page(small_wijk_db, monkeypatch):
    exact = _exact_rates(small_wijk_db)
    internal, _ = _row(small_wijk_db, monkeypatch, public=False)  # the analysts' view: exact, as before
    assert internal["Jaar"].startswith("2025")
    assert internal["Actueel"] == pytest.approx(round(exact[2025], 1))
    assert internal["Status"] in {"op koers", "aandacht", "achter"}
    assert list(internal["Verloop"]) == pytest.approx([exact[y] for y in sorted(exact)])

    public, at = _row(small_wijk_db, monkeypatch, public=True)
    assert public["Jaar"].startswith("2025")
    assert public["Actueel"] == "x"  # Dordt-West's 2025 figure is hidden in the release
    assert public["Status"] == "onbekend"  # no status from a hidden figure
    assert public["Marge (±)"] is None or pd.isna(public["Marge (±)"])
    captions = " ".join(c.value for c in at.caption)
    assert "afgeschermd" in captions and "onbekend" in captions
    history = list(public["Verloop"])  # the other years: the release's figures (every wijk total shown)
    assert len(history) == len(exact)
    assert history[:-1] == pytest.approx([exact[y] for y in sorted(exact)][:-1])
    assert history[-1] is None or pd.isna(history[-1])  # the hidden year leaves a gap

    at.toggle(key="openbaar").set_value(False).run()  # back to exact in the same session: the
    back = at.dataframe[0].value  # cached plan is keyed on the view, never the other view's figures
    assert back[back["Indicator"] == INDICATOR].iloc[0]["Actueel"] == pytest.approx(round(exact[2025], 1))
