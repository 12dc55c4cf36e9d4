"""Gold annotation files for events and quotes: loading them and the articles they point at."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from marsad.errors import IngestError, ModelError
from marsad.model import Analysis, Document
from marsad.nlp.events.evaluate import Report, score_article


def load_gold(paths: list[Path]) -> list[tuple[Path, dict[str, Any]]]:
    """(file, annotation) pairs from JSON files or folders of them; a file holds one dict or a list."""
    files: list[Path] = []
    for p in paths:
        files.extend(sorted(p.glob("*.json")) if p.is_dir() else [p])
    out: list[tuple[Path, dict[str, Any]]] = []
    for f in files:
        try:
            data = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise IngestError(str(f), f"not a gold JSON file: {exc}") from exc
        for item in data if isinstance(data, list) else [data]:
            if not isinstance(item, dict):
                raise IngestError(str(f), "each annotation must be a JSON object")
            out.append((f, item))
    return out


def _article_path(gold_file: Path, ann: dict[str, Any], data: Path) -> Path:
    ref = ann.get("article")
    if not ref:
        sibling = gold_file.parent / "article.txt"  # the seed: expected.json beside article.txt
        if sibling.exists():
            return sibling
        raise IngestError(str(gold_file), "annotation has no 'article' path")
    for base in (Path(""), data, gold_file.parent):
        p = base / ref
        if p.exists():
            return p
    raise IngestError(str(gold_file), f"article not found: {ref} (looked in {data})")


def _record(ann: dict[str, Any]) -> str | None:
    if "record" in ann:
        return str(ann["record"])
    if "id" in ann:
        return str(ann["id"])
    if "row" in ann:
        return f"row {int(ann['row'])}"
    return None


class ArticleCache:
    """Documents by (path, record), each source file read once."""

    def __init__(self) -> None:
        self._files: dict[Path, dict[str | None, Document]] = {}

    def get(self, path: Path, record: str | None) -> Document:
        from marsad.ingest import read

        if path not in self._files:
            docs: dict[str | None, Document] = {}
            for d in read([str(path)]):
                if isinstance(d, Document):
                    docs[d.provenance.record] = d
                    docs.setdefault(None, d)
            self._files[path] = docs
        docs = self._files[path]
        if record not in docs:
            raise IngestError(str(path), f"no record {record!r} in this file", record=record)
        return docs[record]


def articles(gold: list[tuple[Path, dict[str, Any]]], data: Path) -> Iterator[tuple[str, Document, dict[str, Any]]]:
    """(name, document, annotation) for every annotation."""
    cache = ArticleCache()
    for f, ann in gold:
        path = _article_path(f, ann, data)
        record = _record(ann)
        doc = cache.get(path, record)
        if ann.get("published") and not doc.published:
            doc.published = ann["published"]
        yield f"{ann.get('article', path.name)}{'#' + record if record else ''}", doc, ann


def evaluate(gold: list[tuple[Path, dict[str, Any]]], data: Path,
             analyze: Callable[[Document], Analysis] | None = None) -> Report:
    """Run the pipeline on every gold article and score events and quotes."""
    if analyze is None:
        from marsad.pipeline import analyze as run
        analyze = run
    report = Report()
    for name, doc, ann in articles(gold, data):
        try:
            a = analyze(doc)
        except Exception as exc:  # a crash on one article is a finding, not the end of the evaluation
            raise ModelError(f"pipeline failed on {name}: {exc}") from exc
        score_article(a, ann, report, name)
    return report
