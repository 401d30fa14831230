"""Where things live: SQL only in queries/, no Streamlit in ivpdata, every query file used."""

from __future__ import annotations

import ast
import re

from ivpdata import queries
from ivpdata.config import PROJECT_ROOT, QUERIES_DIR

SQL_WORDS = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|FROM\s+\w+\s+WHERE)\b")


def _python_files(folder: str) -> list:
    return sorted((PROJECT_ROOT / folder).glob("*.py"))


def test_no_sql_in_pages():
    offenders = []
    for path in [*_python_files("views"), PROJECT_ROOT / "app.py", PROJECT_ROOT / "ui.py"]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL_WORDS.search(node.value):
                offenders.append(f"{path.name}:{node.lineno}")
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] + [getattr(node, "module", "") or ""]
                if any(n.split(".")[0] == "duckdb" for n in names) and path.name != "ui.py":
                    offenders.append(f"{path.name}:{node.lineno} imports duckdb")
    assert offenders == []


def test_pages_are_thin():
    for path in _python_files("views"):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        assert len(lines) < 120, f"{path.name} has {len(lines)} lines: move logic into ivpdata"


def test_no_streamlit_in_the_domain_package():
    for path in sorted((PROJECT_ROOT / "ivpdata").rglob("*.py")):
        assert not re.search(r"^\s*(import|from)\s+streamlit", path.read_text(encoding="utf-8"), re.M), path.name


def test_every_sql_file_has_its_function_and_is_used():
    files = {path.stem for path in QUERIES_DIR.glob("*.sql")}
    functions = {name for name in dir(queries) if callable(getattr(queries, name)) and not name.startswith("_")}
    assert files <= functions, f"no function for {sorted(files - functions)}"
    glue = [PROJECT_ROOT / "ui.py", PROJECT_ROOT / "presenting.py"]  # Streamlit glue the pages call
    source = "\n".join(p.read_text(encoding="utf-8") for p in [*_python_files("views"), *glue])
    queries_source = (PROJECT_ROOT / "ivpdata" / "queries.py").read_text(encoding="utf-8")
    for name in files:
        runs_it = re.search(rf'run\(\s*con,\s*"{re.escape(name)}"', queries_source)
        assert runs_it, f"queries.{name} does not run {name}.sql"
        assert f'"{name}"' in source, f"{name}.sql is not used by any page"


def test_queries_use_bind_parameters_only():
    for path in QUERIES_DIR.glob("*.sql"):
        text = path.read_text(encoding="utf-8")
        assert "{" not in text and "%s" not in text, f"{path.name}: values must be bind parameters ($name)"
        assert text.count(";") <= 1, f"{path.name}: one statement per file"
