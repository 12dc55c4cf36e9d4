"""Validated query and path parameters shared by the API and the pages (bad values -> 422 with a message)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from marsad.web.app import MAX_PAGE_SIZE

DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
TYPE_PATTERN = r"^[A-Z][A-Z_]{0,39}$"

SearchQ = Annotated[str, Query(min_length=1, max_length=2000,
                               description="Search query: words, \"phrase\", OR, NOT/-word, (group), prefix*")]
OptSearchQ = Annotated[str | None, Query(max_length=2000, description="Search query (optional on pages)")]
Source = Annotated[str | None, Query(max_length=500, description="Site name, source label or path/URL prefix")]
Since = Annotated[str | None, Query(pattern=DATE_PATTERN, description="From this day (YYYY, YYYY-MM or YYYY-MM-DD)")]
Until = Annotated[str | None, Query(pattern=DATE_PATTERN, description="Up to this day, inclusive")]
EntityRef = Annotated[str | None, Query(max_length=200, description="Entity id (16 hex) or exact canonical name")]
EventType = Annotated[str | None, Query(pattern=TYPE_PATTERN, description="Event type, e.g. MEET, ARMS_TRANSFER")]
EntityType = Annotated[str | None, Query(pattern=TYPE_PATTERN,
                                         description="PERSON, ORG, GPE, LOC, FAC, NORP, WEAPON or PLACE")]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description=f"Page size (1–{MAX_PAGE_SIZE})")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip")]
PageNo = Annotated[int, Query(ge=1, le=10_000, description="Page number")]
DocId = Annotated[str, Path(pattern=r"^[0-9a-f]{4,64}$", description="Document id (or unique prefix, ≥ 4 hex)")]
EntityId = Annotated[str, Path(pattern=r"^[0-9a-f]{16}$", description="Stable entity id (16 hex)")]
StoryId = Annotated[str, Path(pattern=r"^S\d{1,9}$", description="Story id as /api/stories lists it")]
