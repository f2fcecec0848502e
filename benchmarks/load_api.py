"""Load test of the HTTP JSON API: many clients against one ``python -m kb serve`` on loopback.

Open loop: requests are scheduled at a fixed total rate (``--rate`` per second, spread over
``--clients`` threads, each with its own keep-alive connection); a request's latency counts from
its *scheduled* time, so a server that falls behind is not flattered (no coordinated omission).
Every request is distinct — a dev-set query (``indexing/devset*.jsonl``, held-out queries
included) with one of several filter and ``k`` variants — and none repeats within a run, so no
cache of results could flatter the figures. Errors: non-200 answers, timeouts, refused sockets.

Phases: ``steady`` — ``--rate`` for ``--seconds``; then ``saturation`` — rising rates for
``--step-seconds`` each, reporting p95 per rate and the highest rate whose p95 stays ≤ 1 s.

Bounded: ``--clients`` ≤ 64, rates ≤ 200/s, at most as many requests as distinct variants.
Writes ``benchmarks/results/load_api.json``.

Usage: python benchmarks/load_api.py [--clients 32] [--rate 20] [--seconds 60] [--workers 2]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

from load_app import dev_queries, free_port, percentiles  # the sibling benchmark: one home

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
VARIANTS = [{}, *({"jurisdiction": j} for j in ("EU", "DE", "FR", "CH", "NO", "UK"))]
VARIANTS += [{"language": lang} for lang in ("en", "fr", "de", "nb")]
VARIANTS += [{"type": t} for t in ("directive", "regulation", "national-law")]
KS = (5, 10, 20)
SATURATION_RATES = (20, 30, 40, 60, 80, 120)


def requests_pool(seed: int = 7) -> list[str]:
    """Every distinct request path (query × filter variant × k), shuffled reproducibly."""
    queries = dev_queries()
    paths = [
        "/search?" + urlencode({"q": q, "k": k, **variant})
        for q in queries
        for variant in VARIANTS
        for k in KS
    ]
    random.Random(seed).shuffle(paths)
    return paths


def run_phase(port: int, paths: list[str], rate: float, clients: int) -> dict:
    """Send ``paths`` at ``rate`` per second over ``clients`` threads; latencies and errors."""
    start = time.perf_counter() + 0.5
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for i in range(index, len(paths), clients):
            due = start + i / rate
            pause = due - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            try:
                connection.request("GET", paths[i])
                response = connection.getresponse()
                body = response.read()
                ok = response.status == 200 and b'"results"' in body
            except (OSError, http.client.HTTPException) as exc:
                ok, body = False, repr(exc).encode()
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            elapsed = time.perf_counter() - due
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors.append(body[:200].decode("utf-8", "replace"))
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    return {
        "offered_per_s": rate,
        "requests": len(paths),
        "achieved_per_s": round(len(paths) / max(wall - 0.5, 1e-9), 1),
        "latency_s": percentiles(latencies),
        "errors": len(errors),
        "error_samples": errors[:3],
    }


def start_server(data: Path, workers: int) -> tuple[subprocess.Popen, int, float]:
    port = free_port()
    argv = [sys.executable, "-m", "kb", "--data", str(data), "serve", "--port", str(port)]
    argv += ["--workers", str(workers)]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    began = time.perf_counter()
    server = subprocess.Popen(argv, cwd=ROOT, env=env, stderr=subprocess.PIPE)
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=60) as r:
                r.read()
            break
        except OSError:
            if server.poll() is not None:
                raise SystemExit(
                    f"kb serve exited: {server.stderr.read().decode()[-2000:]}"
                ) from None
            if time.perf_counter() - began > 180:
                server.kill()
                raise SystemExit("kb serve did not answer /health within 180 s") from None
            time.sleep(0.3)
    for _ in range(workers * 2):  # each worker loads index and model on its first request
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=60) as r:
            r.read()
    return server, port, round(time.perf_counter() - began, 2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--rate", type=float, default=20.0, help="searches per second, in total")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--step-seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-saturation", action="store_true")
    parser.add_argument(
        "--data", type=Path, default=Path(os.environ.get("LEVELFIELD_DATA", ROOT / "data"))
    )
    args = parser.parse_args()
    if not (1 <= args.clients <= 64 and 0 < args.rate <= 200 and 0 < args.seconds <= 600):
        raise SystemExit("--clients 1-64, --rate ≤ 200, --seconds ≤ 600")
    pool = requests_pool()
    server, port, startup = start_server(args.data, args.workers)
    try:
        used = int(args.rate * args.seconds)
        if used > len(pool):
            raise SystemExit(f"{used} requests wanted, only {len(pool)} distinct ones")
        steady = run_phase(port, pool[:used], args.rate, args.clients)
        print(json.dumps({"steady": steady}, indent=1), flush=True)
        saturation = []
        if not args.no_saturation:
            for rate in SATURATION_RATES:
                count = int(rate * args.step_seconds)
                if used + count > len(pool):
                    break
                step = run_phase(port, pool[used : used + count], rate, args.clients)
                used += count
                saturation.append(step)
                print(
                    f"rate {rate}/s: p95 {step['latency_s']['p95']} s, errors {step['errors']}",
                    flush=True,
                )
                if step["latency_s"]["p95"] > 1.0:
                    break
    finally:
        server.terminate()
        server.wait(30)
    within = [s["offered_per_s"] for s in saturation if s["latency_s"]["p95"] <= 1.0]
    report = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "settings": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "distinct_requests": len(pool),
        "requests_sent": used,
        "server_startup_s": startup,
        "steady": steady,
        "saturation": saturation,
        "saturation_rate_per_s": max(within) if within else None,
        "p95_passes_1s_at_per_s": next(
            (s["offered_per_s"] for s in saturation if s["latency_s"]["p95"] > 1.0), None
        ),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "load_api.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: report[k] for k in ("saturation_rate_per_s", "p95_passes_1s_at_per_s")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
