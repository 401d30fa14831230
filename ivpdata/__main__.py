"""Command line: `python -m ivpdata build [--data-dir DIR] [--db FILE]`,
`python -m ivpdata import FILE [--kind KIND] [--year YEAR] [--preview] [--by NAME] [--db FILE]` and
`python -m ivpdata theme [--gemeente CODE] [--data-dir DIR] [--output FILE]` (the installation's Streamlit theme as
environment variables: README, Toegankelijkheid > Huisstijl)."""

from __future__ import annotations

import argparse
import getpass
import sys
import time
from pathlib import Path

from ivpdata.build import build
from ivpdata.config import DATA_DIR, db_path
from ivpdata.importing import KINDS, outcome_text, read_isolated, run_import
from ivpdata.importing.run import check_loaded_by
from ivpdata.snapshot import WriteBusyError
from ivpdata.theme import build_theme, env_file
from ivpdata.validate import DataError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ivpdata", description="Veiligheidsbeeld data tools")
    commands = parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build", help="build the database from the data directory")
    build_cmd.add_argument("--data-dir", type=Path, default=DATA_DIR)
    build_cmd.add_argument("--db", type=Path, default=None, help="target file (default: env IVP_DB or data/ivp.duckdb)")
    import_cmd = commands.add_parser("import", help="load an export (e.g. police 47022NED) into the database")
    import_cmd.add_argument("file", type=Path)
    import_cmd.add_argument("--kind", choices=sorted(KINDS), default=None, help="default: detected from the columns")
    import_cmd.add_argument("--preview", action="store_true", help="show what would change, change nothing")
    import_cmd.add_argument("--by", default=getpass.getuser(), help="who loads it (one line of text)")
    import_cmd.add_argument("--db", type=Path, default=None, help="database (default: env IVP_DB or data/ivp.duckdb)")
    import_cmd.add_argument("--data-dir", type=Path, default=DATA_DIR, help="where a copy is kept for rebuilds")
    import_cmd.add_argument("--year", default=None, help="year of the figures (KWB: no year column)")
    theme_cmd = commands.add_parser("theme", help="print the Streamlit theme (STREAMLIT_THEME_*=...) of a gemeente")
    theme_cmd.add_argument("--gemeente", default=None, help="gemeente code (default: data/gemeenten.yaml's default)")
    theme_cmd.add_argument("--data-dir", type=Path, default=None, help="default: env IVP_DATA_DIR or data/")
    theme_cmd.add_argument("--output", type=Path, default=None, help="write this file (only when accepted), not stdout")
    args = parser.parse_args(argv)
    if args.command == "import":
        return _import(args)
    if args.command == "theme":
        return _theme(args)

    target = args.db or db_path()
    started = time.perf_counter()
    try:
        report = build(args.data_dir, target)
    except DataError as error:
        print(f"Build failed; {target} was left unchanged. Problems:", file=sys.stderr)
        for problem in error.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    except WriteBusyError:
        print(f"Build failed; {target} was left unchanged. {WriteBusyError.user_message}", file=sys.stderr)
        return 1
    print(f"Built {report.path} in {time.perf_counter() - started:.1f} s")
    for table, count in report.row_counts.items():
        print(f"  {table:<22} {count:>9,}")
    return 0


def _import(args: argparse.Namespace) -> int:
    target = args.db or db_path()
    try:
        options = {"year": args.year} if args.year else None
        check_loaded_by(args.by, args.file.name)  # before any reading: a wrong name needs no file read
        # Read in a process of its own within the time budget, as the Data page does.
        prepared = read_isolated(args.file, args.file.name, args.kind)
        outcome = run_import(
            args.file,
            target,
            args.kind,
            args.by,
            preview=args.preview,
            data_dir=args.data_dir,
            options=options,
            prepared=prepared,
        )
    except DataError as error:
        print(f"Import refused; {target} was left unchanged. Problems:", file=sys.stderr)
        for problem in error.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    print(("Preview (nothing changed): " if args.preview else "Imported: ") + outcome_text(outcome))
    return 0


def _theme(args: argparse.Namespace) -> int:
    try:
        theme = build_theme(args.gemeente, args.data_dir)
        text = env_file(theme)
    except DataError as error:
        print("Thema geweigerd; de server start niet met dit thema. Problemen:", file=sys.stderr)
        for problem in error.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    if args.output is None:
        sys.stdout.write(text)
        return 0
    partial = args.output.with_name(args.output.name + ".tmp")
    partial.write_text(text, encoding="utf-8")
    partial.replace(args.output)  # a refused theme never empties the file a server reads
    print(f"Thema van {theme.gemeente} geschreven naar {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
