"""Load test of the explorer: concurrent browser sessions against one ``streamlit run app.py``.

Each client speaks Streamlit's own websocket protocol on loopback (what the browser does): it
opens a session with a URL (``?q=…``) and waits until the script run has finished, then runs a
few more searches in the same session (warm round trips). Errors are runs that raised an
exception in the app, did not finish successfully, or timed out.

Measured:

- ``cold``: the first render after the server started (model and index loaded on demand) —
  of a search link (``/?q=complaints procedure``), then of the comparison page;
- ``session_first_render``: opening the app with a search link while others are using it;
- ``search_round_trip``: a new search in an open session (warm), end to end;
- ``in_process_search_ms``: ``Searcher.search`` alone, for reference.

Paced (``--every 5 --seconds 60``): each session opens a search link, then searches every 5 s
for 60 s, with distinct dev-set queries (``distinct_queries``: no query repeats in a run).

Bounded: at most ``--clients`` sessions (≤ 64) × ``--rounds`` searches, and ``--deadline``
seconds in all. Writes ``benchmarks/results/load_app.json`` (or ``--out``).

Usage: python benchmarks/load_app.py [--clients 8] [--rounds 5 | --every 5 --seconds 60]
       [--data DATA] [--url URL] [--out FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
#: realistic queries in EN/NL/FR/DE, one per line, shared by the benchmarks
QUERIES = (ROOT / "benchmarks" / "queries.txt").read_text(encoding="utf-8").splitlines()


class RunError(Exception):
    """A script run that raised, did not finish successfully or timed out."""


def percentiles(values: list[float]) -> dict:
    if not values:
        return {"n": 0}
    ordered = sorted(values)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    return {
        "n": len(values),
        "p50": round(statistics.median(ordered), 3),
        "p95": round(pct(95), 3),
        "p99": round(pct(99), 3),
        "max": round(ordered[-1], 3),
        "mean": round(statistics.fmean(ordered), 3),
    }


class Session:
    """One browser session over the websocket protocol (what the browser sends and receives)."""

    def __init__(self, ws_url: str, timeout: float):
        self.ws_url, self.timeout, self.ws = ws_url, timeout, None
        self.query_string = ""
        self.widget_ids: dict[str, str] = {}  # user key → widget id, read from the app's output

    async def __aenter__(self):
        import websockets

        self.ws = await websockets.connect(self.ws_url, subprotocols=["streamlit"], max_size=None)
        return self

    async def __aexit__(self, *exc):
        await self.ws.close()

    async def open(self, params: dict, expect: str = "") -> float:
        """Open the app at ``/?params`` in this session; seconds until the run finished."""
        from streamlit.proto.BackMsg_pb2 import BackMsg

        self.query_string = urlencode(params)
        message = BackMsg()
        message.rerun_script.query_string = self.query_string
        message.rerun_script.page_script_hash = ""
        return await self._run(message, expect)

    async def search(self, query: str) -> float:
        """Type ``query`` into the search box and press the Search button (a warm round trip)."""
        from streamlit.proto.BackMsg_pb2 import BackMsg

        message = BackMsg()
        message.rerun_script.query_string = self.query_string
        message.rerun_script.page_script_hash = ""
        box = message.rerun_script.widget_states.widgets.add()
        box.id, box.string_value = self.widget_ids["q"], query
        button = message.rerun_script.widget_states.widgets.add()
        button.id, button.trigger_value = self.widget_ids["search_go"], True
        return await self._run(message, SEARCH_DONE)

    async def _run(self, message, expect: str) -> float:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        started = time.perf_counter()
        await self.ws.send(message.SerializeToString())
        raised, seen = None, not expect
        while True:
            try:
                raw = await asyncio.wait_for(self.ws.recv(), self.timeout)
            except TimeoutError:
                raise RunError(f"timeout after {self.timeout} s") from None
            forward = ForwardMsg()
            forward.ParseFromString(raw)
            kind = forward.WhichOneof("type")
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                raised = raised or self._read(element)
                seen = seen or expect in _text(element)
            if kind == "script_finished":
                if raised or forward.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                    raise RunError(f"{raised or forward.script_finished}")
                if not seen:
                    raise RunError(f"the page did not show {expect!r}")
                return time.perf_counter() - started

    def _read(self, element) -> str | None:
        """Remember widget ids; return the message of an exception shown by the app."""
        kind = element.WhichOneof("type")
        if kind == "exception":
            return element.exception.message or "exception"
        if kind in ("text_input", "button"):
            widget_id = getattr(element, kind).id
            self.widget_ids[widget_id.rsplit("-", 1)[-1]] = widget_id
        return None


SEARCH_DONE = "grouped by instrument"


def _text(element) -> str:
    kind = element.WhichOneof("type")
    return getattr(element, kind).body if kind in ("markdown", "heading") else ""


async def client(ws_url: str, n: int, rounds: int, timeout: float, out: dict) -> None:
    try:
        async with Session(ws_url, timeout) as session:
            query = QUERIES[n % len(QUERIES)]
            out["session_first_render"].append(await session.open({"q": query}, SEARCH_DONE))
            for r in range(rounds):
                query = QUERIES[(n + r + 1) % len(QUERIES)]
                out["search_round_trip"].append(await session.search(query))
    except (RunError, OSError, KeyError) as exc:
        out["errors"].append(f"{type(exc).__name__}: {exc}"[:300])


def dev_queries() -> list[str]:
    """Every distinct query of the dev sets (``indexing/devset*.jsonl``, held-out set included)."""
    sys.path.insert(0, str(ROOT))
    from indexing.evaluate import DEVSET_PATH, load_devset

    items = load_devset(DEVSET_PATH) + load_devset(DEVSET_PATH.with_name("devset_new.jsonl"))
    return sorted({item["query"] for item in items})


def distinct_queries() -> list[str]:
    """Dev-set queries, each as written and with two prefixes ("which provision covers:", "in
    which instrument:") — 390 distinct strings, so no search could be answered from a cache."""
    queries = dev_queries()
    prefixes = ("", "which provision covers: ", "in which instrument: ")
    return [prefix + q for prefix in prefixes for q in queries]


async def paced_client(ws_url, n, clients, pool, every, seconds, timeout, out) -> None:
    """A session that opens the app with a search link, then searches every ``every`` s for
    ``seconds`` (sessions staggered over the first interval); a late round trip delays the next."""
    try:
        async with Session(ws_url, timeout) as session:
            begin = time.perf_counter() + n * every / clients
            await asyncio.sleep(max(0.0, begin - time.perf_counter()))
            out["session_first_render"].append(await session.open({"q": next(pool)}, SEARCH_DONE))
            due = begin + every
            while due < begin + seconds:
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
                out["search_round_trip"].append(await session.search(next(pool)))
                due += every
    except (RunError, OSError, KeyError) as exc:
        out["errors"].append(f"{type(exc).__name__}: {exc}"[:300])
    except StopIteration:
        out["errors"].append("ran out of distinct queries")


async def measure(
    ws_url: str,
    clients: int,
    rounds: int,
    timeout: float,
    deadline: float,
    every: float | None = None,
    seconds: float = 60.0,
) -> dict:
    out: dict = {"cold": {}, "session_first_render": [], "search_round_trip": [], "errors": []}
    cold = [
        ("search_link_first_render_s", {"q": "complaints procedure"}, SEARCH_DONE),
        (
            "compare_first_render_s",
            {"page": "compare", "topic": "grievance-mechanism"},
            "Level playing field",
        ),
        (
            "reader_first_render_s",
            {"doc": "eu-csddd-2024-1760", "unit": "art-14"},
            "Notification mechanism",
        ),
        ("corpus_first_render_s", {"page": "corpus"}, "Add a document"),
    ]
    for name, params, expect in cold:  # each link opened in a new browser session
        try:
            async with Session(ws_url, timeout) as session:
                out["cold"][name] = round(await session.open(params, expect), 3)
        except (RunError, OSError) as exc:
            out["errors"].append(f"{name}: {type(exc).__name__}: {exc}"[:300])
    if every:
        pool = iter(distinct_queries())
        tasks = [
            paced_client(ws_url, n, clients, pool, every, seconds, timeout, out)
            for n in range(clients)
        ]
    else:
        tasks = [client(ws_url, n, rounds, timeout, out) for n in range(clients)]
    started = time.perf_counter()
    try:
        await asyncio.wait_for(asyncio.gather(*tasks), deadline)
    except TimeoutError:
        out["errors"].append(f"deadline of {deadline} s reached")
    out["wall_seconds"] = round(time.perf_counter() - started, 2)
    return out


def in_process_search(data: Path) -> dict:
    from indexing.search import Searcher

    searcher = Searcher(data)
    searcher.search(QUERIES[0])
    times = []
    for query in QUERIES * 3:
        started = time.perf_counter()
        searcher.search(query, k=20)
        times.append((time.perf_counter() - started) * 1000)
    return percentiles(times)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(data: Path, log_path: Path) -> tuple[subprocess.Popen, str, float]:
    """``streamlit run app.py`` on a free loopback port; returns (process, url, seconds to healthy)."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py")]
    command += ["--server.headless", "true", "--server.port", str(port), "--server.address"]
    command += ["127.0.0.1", "--browser.gatherUsageStats", "false"]
    command += ["--server.fileWatcherType", "none"]
    env = {**os.environ, "LEVELFIELD_DATA": str(data)}
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log_path.open("w"), stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    while time.perf_counter() - started < 90:
        if process.poll() is not None:
            raise SystemExit(f"streamlit exited with {process.returncode}; see {log_path}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return process, url, time.perf_counter() - started
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit(f"streamlit did not become healthy; see {log_path}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8, help="concurrent sessions (≤ 64)")
    parser.add_argument(
        "--rounds", type=int, default=5, help="searches per session after the first"
    )
    parser.add_argument(
        "--every", type=float, default=None, help="paced: each session searches every N s"
    )
    parser.add_argument("--seconds", type=float, default=60.0, help="paced: for this long")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per script run")
    parser.add_argument("--deadline", type=float, default=300.0, help="seconds for the whole load")
    parser.add_argument(
        "--data", type=Path, default=None, help="data folder (default: LEVELFIELD_DATA)"
    )
    parser.add_argument("--url", default=None, help="use a running app instead of starting one")
    parser.add_argument("--out", type=Path, default=RESULTS / "load_app.json")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from kb.explore.views import data_folder

    data = args.data or data_folder()
    clients = max(1, min(args.clients, 64))
    reference = in_process_search(data)  # before the server starts, so the two do not compete
    process, startup = None, None
    if args.url:
        url = args.url.rstrip("/")
    else:
        log_path = Path(tempfile.gettempdir()) / "levelfield-load-app.log"
        process, url, startup = start_server(data, log_path)
    ws_url = url.replace("http", "ws", 1) + "/_stcore/stream"
    try:
        result = asyncio.run(
            measure(
                ws_url, clients, args.rounds, args.timeout, args.deadline, args.every, args.seconds
            )
        )
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=20)
    report = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "data": str(data),
        "clients": clients,
        "rounds": args.rounds if not args.every else None,
        "paced": {"every_s": args.every, "seconds": args.seconds} if args.every else None,
        "server_start_to_healthy_s": round(startup, 3) if startup is not None else None,
        "cold": result["cold"],
        "session_first_render_s": percentiles(result["session_first_render"]),
        "search_round_trip_s": percentiles(result["search_round_trip"]),
        "errors": len(result["errors"]),
        "error_samples": result["errors"][:5],
        "wall_seconds": result["wall_seconds"],
        "in_process_search_ms": reference,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=1, ensure_ascii=False))
    return 1 if report["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
