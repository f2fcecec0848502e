"""Handler of ``python -m kb serve``: the read-only HTTP JSON API (``kb.api``)."""

from __future__ import annotations

from kb.cli.io import data_arg, say
from kb.errors import KBError


def cmd_serve(args) -> int:
    from indexing.index import load_index
    from kb.api import serve

    if not 1 <= args.workers <= 32:
        raise KBError("--workers must be between 1 and 32")
    load_index(data_arg(args), args.model)  # a missing or damaged index: one message, up front
    say(f"serving {data_arg(args)} on http://{args.host}:{args.port} (OpenAPI docs: /docs)")
    serve(data_arg(args), host=args.host, port=args.port, workers=args.workers, model=args.model)
    return 0
