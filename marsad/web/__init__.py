"""Web UI and REST API: ``create_app(db_url, token=None)`` (FastAPI). Imports FastAPI only when used."""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def create_app(db_url: str, token: str | None = None, **options: Any) -> Any:
    """The FastAPI app over the store at ``db_url`` (see :mod:`marsad.web.app`)."""
    from marsad.web.app import create_app as _create

    return _create(db_url, token, **options)
