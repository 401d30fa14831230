"""Where things live: SQL only in queries/, Streamlit only in app.py and dashboard/, every query file used."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from ivpdata import queries
from ivpdata.config import PROJECT_ROOT, QUERIES_DIR

PAGES_DIR = PROJECT_ROOT / "dashboard" / "pages"

SQL_WORDS = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|FROM\s+\w+\s+WHERE)\b")


def _python_files(folder: str) -> list:
    return sorted((PROJECT_ROOT / folder).glob("*.py"))


PAGES, GLUE, MODELS = "dashboard/pages", "dashboard", "ivpdata/page_models"


def test_no_sql_in_pages():
    offenders = []
    for path in [*_python_files(PAGES), *_python_files(GLUE), PROJECT_ROOT / "app.py"]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL_WORDS.search(node.value):
                offenders.append(f"{path.name}:{node.lineno}")
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] + [getattr(node, "module", "") or ""]
                if any(n.split(".")[0] == "duckdb" for n in names) and path.name != "connection.py":
                    offenders.append(f"{path.name}:{node.lineno} imports duckdb")
    assert offenders == []


def test_pages_are_thin():
    for path in _python_files(PAGES):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        assert len(lines) < 120, f"{path.name} has {len(lines)} lines: move logic into ivpdata"


def test_streamlit_only_in_the_dashboard_package_and_the_entry():
    streamlit = re.compile(r"^\s*(import|from)\s+streamlit", re.M)
    for path in sorted(PROJECT_ROOT.glob("*.py")) + sorted((PROJECT_ROOT / "ivpdata").rglob("*.py")):
        if path.name != "app.py":
            assert not streamlit.search(path.read_text(encoding="utf-8")), path.name
    assert not (PROJECT_ROOT / "pages").exists()  # beside app.py, Streamlit would run its pages without the router


def _dashboard_trees() -> list[tuple[str, ast.Module]]:
    """The pages, the Streamlit glue, app.py and the page models (which read through a Fetch)."""
    paths = [*_python_files(PAGES), *_python_files(GLUE), *_python_files(MODELS), PROJECT_ROOT / "app.py"]
    return [(path.name, ast.parse(path.read_text(encoding="utf-8"))) for path in paths]


def test_every_sql_file_has_its_function_and_is_used():
    files = {path.stem for path in QUERIES_DIR.glob("*.sql")}
    functions = {name for name in dir(queries) if callable(getattr(queries, name)) and not name.startswith("_")}
    assert files <= functions, f"no function for {sorted(files - functions)}"
    queries_source = (PROJECT_ROOT / "ivpdata" / "queries.py").read_text(encoding="utf-8")
    used = {
        node.attr
        for _, tree in _dashboard_trees()
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "queries"
    }
    for name in files:
        runs_it = re.search(rf'run(_through_arrow)?\(\s*con,\s*"{re.escape(name)}"', queries_source)
        assert runs_it, f"queries.{name} does not run {name}.sql"
        assert name in used, f"{name}.sql is not used by any page or page model (as queries.{name})"


def test_queries_are_named_by_their_function_not_a_string():
    """`query(queries.area_counts, ...)` and `derived(f, {"x": (queries.area_counts, params)})`: "go to
    definition" and the type checker follow a page to its SQL; a string name they cannot follow."""
    names = {path.stem for path in QUERIES_DIR.glob("*.sql")}

    def by_string(node: ast.AST) -> bool:
        return isinstance(node, ast.Constant) and node.value in names

    offenders = []
    for file, tree in _dashboard_trees():
        for node in ast.walk(tree):
            called = ast.unparse(node.func).split(".")[-1] if isinstance(node, ast.Call) else None
            if called == "query" and isinstance(node, ast.Call) and node.args and by_string(node.args[0]):
                offenders.append(f"{file}:{node.lineno}")
            if isinstance(node, ast.Tuple) and len(node.elts) == 2 and by_string(node.elts[0]):
                offenders.append(f"{file}:{node.lineno}")
    assert offenders == []


PUBLIC_STREAMLIT = {"streamlit", "streamlit.column_config", "streamlit.components.v1"}


def test_no_private_streamlit_api():
    """Only Streamlit's public modules and names: a private one may change in any release."""
    offenders = []
    for file, tree in _dashboard_trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
                if modules[0].startswith("streamlit") and any(a.name.startswith("_") for a in node.names):
                    offenders.append(f"{file}:{node.lineno}")
            elif isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
                root = node.value
                while isinstance(root, ast.Attribute):
                    root = root.value
                if isinstance(root, ast.Name) and root.id in ("st", "streamlit"):
                    offenders.append(f"{file}:{node.lineno}")
                continue
            else:
                continue
            streamlit = [m for m in modules if m.split(".")[0] == "streamlit"]
            offenders += [f"{file}:{node.lineno} {m}" for m in streamlit if m not in PUBLIC_STREAMLIT]
    assert offenders == []


def test_queries_use_bind_parameters_only():
    for path in QUERIES_DIR.glob("*.sql"):
        text = path.read_text(encoding="utf-8")
        assert "{" not in text and "%s" not in text, f"{path.name}: values must be bind parameters ($name)"
        assert text.count(";") <= 1, f"{path.name}: one statement per file"


def test_every_page_file_is_a_route():
    from dashboard import routes

    paths = routes.paths()
    assert all((PROJECT_ROOT / route.file).exists() for route in routes.ROUTES)
    assert {p.stem for p in _python_files(PAGES)} == paths  # no page file without its route


def test_the_domain_knows_no_page_url_or_url_parameter():
    """Page paths and URL parameter names live in dashboard/routes.py: no ivpdata module writes a
    dict keyed by a URL parameter (a link) or names a page's file or path."""
    from dashboard import routes

    params = {value for name, value in vars(routes.Param).items() if name.isupper()}
    offenders = []
    for path in sorted((PROJECT_ROOT / "ivpdata").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Dict):
                keys = {k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}
                if len(keys & params) >= 2:  # one common word is no link; two URL parameters together are
                    offenders.append(f"{path.name}:{node.lineno} {sorted(keys & params)}")
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and routes.PAGES_DIR in node.value:
                offenders.append(f"{path.name}:{node.lineno} {node.value}")
    assert offenders == []


def test_url_parameters_are_named_through_routes_param():
    """`bound(widget, Param.WAT, ...)`, `to_url(Param.SELECTIE, ...)`, `st.query_params.get(Param.X)`:
    a URL parameter's name is written once, in dashboard/routes.py, never as a string elsewhere."""
    position = {"bound": 1, "from_url": 1, "to_url": 0}
    offenders = []
    for file, tree in _dashboard_trees():
        if file == "routes.py":
            continue
        for node in ast.walk(tree):
            named = None
            if isinstance(node, ast.Call):
                called = ast.unparse(node.func).split(".")[-1]
                at = position.get(called)
                on_params = called in ("get", "pop") and "query_params" in ast.unparse(node.func)
                at = 0 if on_params else at
                named = node.args[at] if at is not None and len(node.args) > at else None
            elif isinstance(node, ast.Subscript) and "query_params" in ast.unparse(node.value):
                named = node.slice
            if isinstance(named, ast.Constant) and isinstance(named.value, str):
                offenders.append(f"{file}:{named.lineno} '{named.value}'")
    assert offenders == []


def test_ruff_format_owns_the_layout():
    """At most a handful of format-skip comments, for aligned lookup tables; none in the Streamlit code."""
    skips = [
        f"{path.relative_to(PROJECT_ROOT)}:{number}"
        for folder in ("dashboard", "ivpdata", "tests")
        for path in sorted((PROJECT_ROOT / folder).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "# fmt: " + "skip" in line
    ]
    assert not [skip for skip in skips if skip.startswith("dashboard")]
    assert len(skips) <= 5, skips


def _project_imports(path: Path) -> set[str]:
    """The app's own modules a file imports (`from dashboard import a` gives dashboard.a)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in ("dashboard", "ivpdata"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                module_file = PROJECT_ROOT / (candidate.replace(".", "/") + ".py")
                found.add(candidate if module_file.exists() or module_file.with_suffix("").is_dir() else node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] in ("dashboard", "ivpdata")}
    return found


def test_the_first_page_loads_no_library_it_does_not_use():
    """The first view waits for every module the app imports (issue 18): `python -m dashboard`
    imports them once the server has started (`dashboard.warm_up`), each module app.py and the
    Overzicht import. The PDF stack, the Excel reader and writer, SciPy's solvers and
    scipy.stats load where they are used (a download, an import, the public release), not then."""
    code = "import sys; from dashboard import warm_up; warm_up.imports(); print(' '.join(sorted(sys.modules)))"
    loaded = set(
        subprocess.run(
            [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
        ).stdout.split()
    )
    first_view = _project_imports(PROJECT_ROOT / "app.py") | _project_imports(PAGES_DIR / "overzicht.py")
    assert "ivpdata.page_models.overzicht" in first_view  # the check reads the imports
    assert first_view <= loaded, f"not warmed up: {sorted(first_view - loaded)}"
    heavy = {
        "fpdf",
        "openpyxl",
        "scipy.optimize",
        "scipy.stats",
        "scipy.sparse",
        "ivpdata.briefing",
        "ivpdata.importing",
    }
    assert not heavy & loaded
