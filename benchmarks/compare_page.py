"""Time the Compare page: first render in a fresh process (cold) and re-renders (warm).

    python benchmarks/compare_page.py [--topics scope grievance-mechanism sanctions] [--runs 5]

Drives the real app headless (``streamlit.testing.v1.AppTest``) on the data folder
(``LEVELFIELD_DATA``, default ``data/``) with the topics in the link (``?page=compare&topic=…``),
as a user following a shared link would. Prints and writes (``benchmarks/results/compare_page.json``)
the cold time and the median of the warm runs. The cold figure includes loading the corpus and
the cached tables once per process; the warm ones are what every further click costs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--topics", nargs="+", default=["scope", "grievance-mechanism", "sanctions"]
    )
    parser.add_argument("--runs", type=int, default=5, help="warm re-renders after the first")
    parser.add_argument("--out", type=Path, default=RESULTS / "compare_page.json")
    args = parser.parse_args()
    os.environ.setdefault("LEVELFIELD_DATA", str(ROOT / "data"))
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.query_params["page"] = "compare"
    at.query_params["topic"] = ",".join(args.topics)
    started = time.perf_counter()
    at.run()
    cold = time.perf_counter() - started
    if at.exception:
        raise SystemExit(f"the page failed: {at.exception[0].value}")
    warm = []
    for _ in range(args.runs):
        started = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - started)
    report = {
        "topics": args.topics,
        "cold_seconds": round(cold, 2),
        "warm_median_seconds": round(statistics.median(warm), 3),
        "warm_seconds": [round(w, 3) for w in warm],
        "tables_shown": len(at.dataframe) + len(at.table),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
