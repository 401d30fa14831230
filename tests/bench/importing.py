"""Import throughput, run by `make bench` (tests/bench/__main__.py) in a process of its own (so its peak memory is the
import's): a 1-million-row 47022NED-style TypedDataSet CSV, half for the gemeenten served (buurt
x category x month), half for another gemeente (skipped), as a national file would be.

    python -m tests.bench.importing DATABASE   # prints rows, seconds and peak MB as JSON
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from ivpdata.importing import run_import

ROWS = 1_000_000


def police_file(db: Path, path: Path, rows: int = ROWS) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        buurten = [r[0] for r in con.execute("SELECT area_code FROM areas WHERE area_level = 'buurt'").fetchall()]
        categories = [
            r[0]
            for r in con.execute(
                "SELECT cbs_code FROM incident_categories WHERE kind = 'misdrijf' AND cbs_code IS NOT NULL"
            ).fetchall()
        ]
    months = [f"{y}MM{m:02d}" for y in range(2017, 2026) for m in range(1, 13)]
    rng = np.random.default_rng(1)
    own = pd.MultiIndex.from_product([categories, buurten, months]).to_frame(index=False)
    own = own.sample(n=min(len(own), rows // 2), random_state=1)
    others = rows - len(own)
    other = pd.DataFrame(
        {
            0: rng.choice(categories, others),
            1: rng.choice([f"BU0363{i:04d}" for i in range(3000)], others),
            2: rng.choice(months, others),
        }
    )
    frame = pd.concat([own, other], ignore_index=True)
    frame.columns = ["SoortMisdrijf", "WijkenEnBuurten", "Perioden"]
    frame["SoortMisdrijf"] = frame["SoortMisdrijf"].str.ljust(6)  # CBS pads keys
    frame["GeregistreerdeMisdrijven_1"] = rng.poisson(2, len(frame))
    frame.insert(0, "ID", range(len(frame)))
    frame.to_csv(path, sep=";", index=False)
    return len(frame)


def main(db: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "47022NED_TypedDataSet.csv"
        rows = police_file(db, path)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.perf_counter()
        run_import(path, db, None, "bench")
        seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_mb": peak, "peak_before_mb": before}))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
