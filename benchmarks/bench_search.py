"""Search benchmark: index build time, warm query latency (single and batch), peak memory;
hybrid and BM25 alone, in one run. Writes ``benchmarks/results/search.json`` and ``.md``.

Usage: python benchmarks/bench_search.py [--data DATA] [--model e5] [--repeats 3]

Build and query phases run in child processes so that each one's peak RSS is its own.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as `python benchmarks/bench_search.py` from anywhere
RESULTS = ROOT / "benchmarks" / "results"
#: realistic queries in EN/NL/FR/DE, one per line, shared by the benchmarks
QUERIES = (ROOT / "benchmarks" / "queries.txt").read_text(encoding="utf-8").splitlines()

_CHILD = r"""
import json, resource, statistics, sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
data, mode, repeats = Path({data!r}), {mode!r}, {repeats}
t0 = time.perf_counter()
from indexing.search import Searcher
searcher = Searcher(data)
queries = {queries!r}
for q in queries:
    searcher.search(q, k=10, mode=mode)          # warm-up
load_s = time.perf_counter() - t0
single = []
for _ in range(repeats):
    for q in queries:
        t = time.perf_counter(); searcher.search(q, k=10, mode=mode); single.append(time.perf_counter() - t)
batch = []
for _ in range(repeats):
    t = time.perf_counter()
    for q in queries:
        searcher.search(q, k=10, mode=mode)
    batch.append((time.perf_counter() - t) / len(queries))
single.sort()
print(json.dumps({{
    "mode": mode, "load_and_warmup_s": round(load_s, 2),
    "single_p50_ms": round(1000 * statistics.median(single), 2),
    "single_p95_ms": round(1000 * single[int(0.95 * (len(single) - 1))], 2),
    "batch_per_query_ms": round(1000 * statistics.median(batch), 2),
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
}}))
"""


def _run(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


_BUILD = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from indexing.embedders import get_embedder
from indexing.index import build_index
embedder = get_embedder({model!r})
usage = resource.getrusage(resource.RUSAGE_SELF)
cpu0 = usage.ru_utime + usage.ru_stime
t = time.perf_counter()
meta = build_index(Path({data!r}), embedder)
usage = resource.getrusage(resource.RUSAGE_SELF)  # all threads of this process
cpu = usage.ru_utime + usage.ru_stime - cpu0
embedded = meta["chunks"] - meta["reused_vectors"]
print(json.dumps({{"wall_s": round(time.perf_counter() - t, 1), "cpu_s": round(cpu, 1),
    "chunks": meta["chunks"], "embedded": embedded,
    "cpu_ms_per_embedded_chunk": round(1000 * cpu / embedded, 1) if embedded else None,
    "peak_rss_mb": round(usage.ru_maxrss / 1024, 1)}}))
"""


def _build(data: Path, model: str) -> dict:
    return _run(_BUILD.format(root=str(ROOT), data=str(data), model=model))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--model", default="e5")
    parser.add_argument("--repeats", type=int, default=3, help="query passes per mode")
    parser.add_argument(
        "--builds", type=int, default=3, help="full builds from nothing (the median is reported)"
    )
    args = parser.parse_args(argv)
    from kb.store import DataDir

    if not DataDir(args.data).units.is_file():
        print(
            f"no unit table in {args.data}; run `python -m kb fetch && python -m kb ingest`",
            file=sys.stderr,
        )
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        builds = []
        for n in range(args.builds):
            fresh = Path(tmp) / f"data{n}"
            fresh.mkdir()
            for source, target in zip(
                (DataDir(args.data).units, DataDir(args.data).summary),
                (DataDir(fresh).units, DataDir(fresh).summary),
                strict=True,
            ):
                shutil.copy(source, target)
            print(
                f"building a fresh index (full embedding) {n + 1}/{args.builds}…", file=sys.stderr
            )
            builds.append(_build(fresh, args.model))
        builds.sort(key=lambda b: b["wall_s"])
        build = builds[len(builds) // 2] | {
            "runs_wall_s": [b["wall_s"] for b in builds],
            "runs_cpu_s": [b["cpu_s"] for b in builds],
        }
        print("rebuilding (nothing changed)…", file=sys.stderr)
        rebuild = _build(fresh, args.model)
        results = {}
        for mode in ("hybrid", "bm25", "dense"):
            print(f"querying ({mode})…", file=sys.stderr)
            results[mode] = _run(
                _CHILD.format(
                    root=str(ROOT),
                    data=str(fresh),
                    mode=mode,
                    repeats=args.repeats,
                    queries=QUERIES,
                )
            )
        # the benchmark's ten queries are short; the dev set's are the questions users write
        # (lay and legal, up to ~30 words), and the query embedding grows with their length
        from indexing.evaluate import load_devsets

        dev = [item["query"] for item in load_devsets()]
        print(f"querying (hybrid, {len(dev)} dev-set queries)…", file=sys.stderr)
        results["hybrid, dev-set queries"] = _run(
            _CHILD.format(root=str(ROOT), data=str(fresh), mode="hybrid", repeats=1, queries=dev)
        ) | {"queries": len(dev), "repeats": 1}
    report = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.machine()}, {__import__('os').cpu_count()} cores, Python {platform.python_version()}",
        "model": args.model,
        "queries": len(QUERIES),
        "repeats": args.repeats,
        "build_full": build,
        "build_unchanged": rebuild,
        "search": results,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "search.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    (RESULTS / "search.md").write_text(_markdown(report), encoding="utf-8")
    print(_markdown(report))
    return 0


def _markdown(r: dict) -> str:
    lines = [
        f"# Search benchmark ({r['date']}, {r['machine']}, model {r['model']})",
        "",
        f"- full index build (median of {len(r['build_full'].get('runs_wall_s', [0]))}): "
        f"{r['build_full']['wall_s']} s wall, {r['build_full'].get('cpu_s')} s CPU for "
        f"{r['build_full']['chunks']} chunks ({r['build_full']['embedded']} embedded, the rest "
        f"identical texts; {r['build_full'].get('cpu_ms_per_embedded_chunk')} ms CPU per embedded "
        f"chunk; runs {r['build_full'].get('runs_wall_s')} s wall; peak RSS "
        f"{r['build_full']['peak_rss_mb']} MB)",
        f"- rebuild with nothing changed: {r['build_unchanged']['wall_s']} s",
        "",
        "| mode | single p50 ms | single p95 ms | batch ms/query | peak RSS MB | load+warm-up s |",
        "|---|---|---|---|---|---|",
    ]
    for mode, m in r["search"].items():
        lines.append(
            f"| {mode} | {m['single_p50_ms']} | {m['single_p95_ms']} | {m['batch_per_query_ms']} | "
            f"{m['peak_rss_mb']} | {m['load_and_warmup_s']} |"
        )
    lines.append(
        f"\n{r['queries']} queries (`benchmarks/queries.txt`) × {r['repeats']} repeats, warm, one "
        "process per mode; the last row: every dev-set query (`indexing/devset*.jsonl`) once."
    )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
