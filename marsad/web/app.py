"""The FastAPI application: REST API under ``/api/``, server-rendered RTL pages, static files, security.

    from marsad.web.app import create_app
    app = create_app("news.db", token="s3cret")     # uvicorn.run(app) — or `marsad serve --db news.db`

Security: Jinja2 autoescape everywhere, a strict Content-Security-Policy (``default-src 'self'``; no inline
scripts, styles or event handlers anywhere in the app), standard security headers on every response, and a
generic 500 handler so no stack trace ever reaches a client. Writes need the token (``MARSAD_TOKEN``).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from marsad.errors import QueryError, StoreError

log = logging.getLogger(__name__)

HERE = Path(__file__).parent
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_PAGE_SIZE = 100

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


class SecurityHeaders:
    """Pure ASGI middleware adding the security headers to every HTTP response (cheaper than BaseHTTPMiddleware)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in SECURITY_HEADERS if k not in names]
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:  # last resort: a generic 500, never a traceback, still with the headers
            log.exception("internal error on %s", scope.get("path"))
            if started:
                raise
            api = str(scope.get("path", "")).startswith("/api/")
            body = b'{"detail":"internal error"}' if api else "<!doctype html><html lang=\"ar\" dir=\"rtl\">" \
                "<title>500</title><p>خطأ داخلي (internal error)</p></html>".encode()
            ctype = b"application/json" if api else b"text/html; charset=utf-8"
            await send_with_headers({"type": "http.response.start", "status": 500, "headers": [
                (b"content-type", ctype), (b"content-length", str(len(body)).encode())]})
            await send_with_headers({"type": "http.response.body", "body": body})


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(request: Request, status: int, message: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=status)
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, "error.html", {"status": status, "message": message},
                                      status_code=status)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = [str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body")]
        parts.append(f"{'.'.join(loc) or 'request'}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


class WebState:
    """What the routes share: the store, the read-only queries, limits, and small caches."""

    def __init__(self, db_url: str, token: str | None, max_upload_bytes: int, max_page_size: int) -> None:
        from marsad.store import open_store

        self.store = open_store(db_url)
        try:
            #: Listing queries (marsad.store.reads) on the store's read connections: SQLite or PostgreSQL.
            self.queries = self.store.reader()
        except BaseException:
            self.store.close()
            raise
        self.token = token
        self.max_upload_bytes = max_upload_bytes
        self.max_page_size = max_page_size
        self.ingest_lock = threading.Lock()  # one upload analysed at a time: the pipeline is CPU-bound
        self.cache: dict[str, tuple[Any, Any]] = {}
        self.cache_lock = threading.Lock()
        self.build_locks: dict[str, threading.Lock] = {}

    def cached(self, key: str, build: Any) -> Any:
        """``build()`` once per store content version (documents added invalidate it); concurrent
        requests for the same key wait for one build instead of each running it."""
        version = self.queries.data_version()
        with self.cache_lock:
            hit = self.cache.get(key)
            if hit and hit[0] == version:
                return hit[1]
            key_lock = self.build_locks.setdefault(key, threading.Lock())
        with key_lock:
            with self.cache_lock:
                hit = self.cache.get(key)
                if hit and hit[0] == version:
                    return hit[1]
            value = build()
            with self.cache_lock:
                self.cache[key] = (version, value)
        return value

    def warm(self) -> None:
        """Bring the store's story/duplicate tables up to date (articles stored by an older Marsad or bulk
        loaded), then build the story and copy caches, ahead of the first request."""
        from marsad.web import archive

        try:
            if n := self.store.update_tracking():
                log.info("observed %d stored articles for duplicates and stories", n)
            archive.all_stories(self)
            archive.near_copies(self, {"id": ""})
        except HTTPException:
            log.info("archive too large to build the story/copy index in memory; skipped")
        except Exception:  # a failed warm-up only means the first request builds it (and reports errors)
            log.exception("cache warm-up failed")

    def close(self) -> None:
        self.queries.close()
        self.store.close()


def create_app(db_url: str, token: str | None = None, *, max_upload_bytes: int = MAX_UPLOAD_BYTES,
               max_page_size: int = MAX_PAGE_SIZE, warm_caches: bool = False) -> FastAPI:
    """The web app over the store at ``db_url``; ``token`` (default ``$MARSAD_TOKEN``) enables uploads;
    ``warm_caches`` builds stories and the copy index in a background thread at startup."""
    from marsad.web import api, pages

    state = WebState(db_url, token if token is not None else (os.environ.get("MARSAD_TOKEN") or None),
                     max_upload_bytes, max_page_size)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if warm_caches:
            threading.Thread(target=state.warm, name="marsad-web-warm", daemon=True).start()
        yield
        state.close()

    app = FastAPI(title="Marsad API", lifespan=lifespan, version="1", docs_url=None, redoc_url=None,
                  openapi_url="/api/openapi.json",
                  description="Arabic news analysis: articles, search, entities, events, quotes, stories. "
                              "Read-only, except `POST /api/ingest` which needs the token.")
    app.state.web = state
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.autoescape = True  # every template, whatever its file name
    app.state.templates = templates

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        response = _error(request, exc.status_code, str(exc.detail))
        for k, v in (exc.headers or {}).items():
            response.headers[k] = v
        return response

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        return _error(request, 422, _validation_message(exc))

    @app.exception_handler(QueryError)
    async def bad_query(request: Request, exc: QueryError) -> Response:
        return _error(request, 400, f"bad query: {exc.reason}")

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Response:
        log.warning("store error on %s: %s", request.url.path, exc)
        return _error(request, 503, "the store is busy or unavailable; try again")

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> Response:
        log.exception("internal error on %s", request.url.path)
        return _error(request, 500, "internal error")

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    @app.get("/api/docs", include_in_schema=False, response_class=HTMLResponse)
    def api_docs(request: Request) -> Response:
        return templates.TemplateResponse(request, "apidocs.html", {})

    app.add_middleware(SecurityHeaders)
    return app


def app_from_env() -> FastAPI:
    """App factory for ``uvicorn --factory`` and multi-worker serving: the store from ``$MARSAD_WEB_DB``."""
    return create_app(os.environ.get("MARSAD_WEB_DB") or os.environ.get("MARSAD_DB") or "marsad.db",
                      warm_caches=True)
