"""Command line: `python -m ivpdata build [--data-dir DIR] [--db FILE]`."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ivpdata.build import build
from ivpdata.config import DATA_DIR, db_path
from ivpdata.validate import DataError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ivpdata", description="Veiligheidsbeeld data tools")
    commands = parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build", help="build the database from the data directory")
    build_cmd.add_argument("--data-dir", type=Path, default=DATA_DIR)
    build_cmd.add_argument("--db", type=Path, default=None, help="target file (default: env IVP_DB or data/ivp.duckdb)")
    args = parser.parse_args(argv)

    target = args.db or db_path()
    started = time.perf_counter()
    try:
        report = build(args.data_dir, target)
    except DataError as error:
        print(f"Build failed; {target} was left unchanged. Problems:", file=sys.stderr)
        for problem in error.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    print(f"Built {report.path} in {time.perf_counter() - started:.1f} s")
    for table, count in report.row_counts.items():
        print(f"  {table:<22} {count:>9,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
