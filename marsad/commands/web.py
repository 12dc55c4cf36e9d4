"""``marsad serve``: the web UI and REST API over a store (FastAPI + uvicorn)."""

from __future__ import annotations

from typing import Annotated

import typer

from marsad.commands.core import DbOpt


def serve(
    db: DbOpt = None,
    host: Annotated[str, typer.Option(help="Address to listen on (127.0.0.1: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Server processes.")] = 1,
    log_level: Annotated[str, typer.Option(help="uvicorn log level: critical, error, warning, info, debug.")] = "info",
) -> None:
    """Serve the web UI (RTL Arabic pages) and the REST API (/api/, docs at /api/docs).

    Example: MARSAD_TOKEN=s3cret marsad serve --db news.db --port 8000

    Read-only unless MARSAD_TOKEN is set; then POST /api/ingest accepts uploads carrying that token.
    """
    import os

    import uvicorn

    from marsad.store import default_url

    url = db or default_url()
    if workers > 1:  # each worker process builds its own app from the environment
        os.environ["MARSAD_WEB_DB"] = url
        uvicorn.run("marsad.web.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                    log_level=log_level, proxy_headers=False, server_header=False)
        return
    from marsad.web.app import create_app

    uvicorn.run(create_app(url, warm_caches=True), host=host, port=port, log_level=log_level, proxy_headers=False,
                server_header=False)


def register(app: typer.Typer) -> None:
    app.command()(serve)
