"""Sweep ranking settings on the tuning half of the dev sets (never the test half).

Usage::

    python benchmarks/sweep_ranking.py per_doc=1,2,4 named_boost=2,5 [--split tune] [--data data]

Each ``NAME=V1,V2,…`` is swept on its own from the defaults (one value changed at a time);
prints hybrid success@1/10, MRR@10, pinpoint success@10 and instrument recall@10 per value.
The settings that win here are written into ``RankingSettings`` by hand; the README reports the
test half with ``python -m kb eval``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexing.evaluate import evaluate, load_devsets  # noqa: E402
from indexing.search import DEFAULT_RANKING, Searcher  # noqa: E402
from kb.cli.search import ranking_settings  # noqa: E402

KEYS = ("success@1", "success@10", "mrr@10", "pinpoint@10", "instrument_recall@10")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sweeps", nargs="*", metavar="NAME=V1,V2")
    parser.add_argument("--split", choices=("tune", "test", "all"), default="tune")
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    args = parser.parse_args(argv)
    devset = load_devsets(split=args.split)
    searcher = Searcher(args.data)

    def score(settings) -> str:
        searcher.use_settings(settings)
        m = evaluate(searcher, devset, modes=("hybrid",))["modes"]["hybrid"]["all"]
        return "  ".join(f"{key} {m[key]:.3f}" for key in KEYS)

    print(f"{len(devset)} queries ({args.split})")
    print(f"{'defaults':28} {score(DEFAULT_RANKING)}")
    for sweep in args.sweeps:
        name, _, values = sweep.partition("=")
        for value in values.split(","):
            settings = ranking_settings(DEFAULT_RANKING, [f"{name}={value}"])
            print(f"{name + '=' + value:28} {score(settings)}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
