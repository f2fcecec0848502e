"""A small read-only HTTP JSON API for machines: ``python -m kb serve`` (FastAPI + uvicorn).

Search, provisions, the instrument list, the obligation matrix, facts and "does it apply to us?"
— the same answers as the CLI's ``--json``, from the same service functions (``kb.service``),
with OpenAPI docs at ``/docs``. Nothing can be changed through it. Errors are JSON
``{"error": "..."}``: 400 for a bad query or field, 404 for an unknown provision, 503 when the
data folder has no usable index or unit table (the message names the repair command).

Each worker process loads the index and model once (``Service``); ``--workers`` processes share
nothing but the read-only data folder. It listens on 127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from indexing.search import MAX_QUERY_CHARS
from kb.errors import KBError, StoreError, UnknownUnitError
from kb.service import Service

Many = Annotated[list[str] | None, Query()]


def create_app(data: Path | None = None, model: str | None = None) -> FastAPI:
    """The API over ``data`` (default ``$LEVELFIELD_DATA`` or ``./data``)."""
    from kb.store import data_dir

    service = Service(Path(data or data_dir()), model)
    app = FastAPI(
        title="Levelfield",
        version="0.1.0",
        description=(
            "Business & human rights due diligence law: provisions with pinpoint citations, the "
            "obligation matrix, facts and applicability — read-only. Every value carries the "
            "provision it comes from."
        ),
    )

    @app.exception_handler(KBError)
    async def _kb_error(request: Request, exc: KBError) -> JSONResponse:
        status = (
            404
            if isinstance(exc, UnknownUnitError)
            else 503
            if isinstance(exc, StoreError)
            else 400
        )
        return JSONResponse({"error": str(exc)}, status_code=status)

    @app.exception_handler(RequestValidationError)
    async def _bad_field(request: Request, exc: RequestValidationError) -> JSONResponse:
        # one error shape for every bad request (FastAPI's own is 422 {"detail": [...]})
        said = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'request'}: {e.get('msg', '')}"
            for e in exc.errors()
        )
        return JSONResponse({"error": said}, status_code=400)

    @app.get("/health")
    def health() -> dict:
        """Liveness, and whether search can answer (the index and model load)."""
        service.searcher()
        return {"status": "ok"}

    @app.get("/search")
    def search(
        q: Annotated[
            str, Query(description="the question, in EN/NL/FR/DE/NB", max_length=MAX_QUERY_CHARS)
        ],
        k: Annotated[int, Query(ge=1, le=100)] = 10,
        mode: Annotated[str, Query(pattern="^(hybrid|dense|bm25)$")] = "hybrid",
        doc: Many = None,
        jurisdiction: Many = None,
        type: Many = None,
        status: Many = None,
        language: Many = None,
        as_at: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$")] = None,
    ) -> dict:
        """Provisions answering the question, best first, each with its citation and URL;
        ``no_good_match`` when none is good enough."""
        return service.search(
            q,
            k=k,
            mode=mode,
            doc_id=doc,
            jurisdiction=jurisdiction,
            instrument_type=type,
            status=status,
            language=language,
            as_at=as_at,
        )

    @app.get("/documents")
    def documents() -> dict:
        """Every instrument: present with its number of provisions, or missing with its source."""
        return service.docs()

    @app.get("/units/{doc_id}/{unit_id}")
    def unit(doc_id: str, unit_id: str) -> dict:
        """One provision: citation, heading, text (verbatim), official URL."""
        return service.unit(doc_id, unit_id)

    @app.get("/matrix")
    def matrix(topic: Many = None, doc: Many = None) -> dict:
        """The obligation matrix: element × instrument, each cell with value, quote, citation."""
        return service.matrix(topic, doc)

    @app.get("/facts")
    def facts(doc: Many = None) -> dict:
        """Thresholds, fines, dates and periods, each with its provision and quote."""
        return service.facts(doc)

    @app.get("/applies")
    def applies(
        country: str,
        employees: int,
        turnover: float,
        date: str,
        employees_in_country: int | None = None,
        employees_in: Many = None,
        eu_turnover: float | None = None,
        royalties: float | None = None,
    ) -> dict:
        """Does each instrument apply to this company on ``date``? Every answer with the
        provision and quote that decide it."""
        return service.applies(
            country=country,
            employees=employees,
            turnover=turnover,
            date=date,
            employees_in_country=employees_in_country,
            employees_in=employees_in or [],
            eu_turnover=eu_turnover,
            royalties=royalties,
        )

    return app


def app_from_env() -> FastAPI:
    """The factory ``uvicorn --factory`` calls in each worker (settings from the environment)."""
    return create_app(model=os.environ.get("LEVELFIELD_MODEL") or None)


def serve(data: Path, *, host: str, port: int, workers: int, model: str | None = None) -> None:
    """Run the API with ``workers`` processes (uvicorn); blocks until stopped."""
    import uvicorn

    os.environ["LEVELFIELD_DATA"] = str(data)
    if model:
        os.environ["LEVELFIELD_MODEL"] = model
    uvicorn.run(
        "kb.api:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )
