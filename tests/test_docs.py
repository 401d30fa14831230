"""The README's documented views match the database, and its example query runs."""

from __future__ import annotations

import re

from ivpdata.config import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def test_documented_view_columns_match_the_database(db):
    section = README.split("<!-- views")[1].split("<!-- /views -->")[0]
    documented = dict(re.findall(r"`(\w+)\(([^)]*)\)`", section))
    views = {row[0] for row in db.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert set(documented) == views  # every view is documented
    for view, columns in documented.items():
        actual = [row[0] for row in db.execute(f"DESCRIBE {view}").fetchall()]
        assert actual == [c.strip() for c in columns.split(",")], view


def test_readme_example_query_runs(db):
    example = README.split("```sql")[1].split("```")[0]
    rows = db.execute(example).fetchall()
    assert len(rows) == 13  # Dordrecht's wijken


def test_documented_tables_exist(db):
    found = re.search(r"Tables: (.*?)\(see", README, re.S)
    assert found, "README lists no 'Tables: ... (see'"
    listed = found.group(1)
    documented = set(re.findall(r"`(\w+)`", listed))
    actual = {
        row[0]
        for row in db.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
        ).fetchall()
    }
    assert documented == actual
