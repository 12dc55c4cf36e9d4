"""``marsad train ner`` and ``marsad eval ner``: rebuild and measure the named-entity tagger."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from marsad.commands.groups import eval_app, train_app

console = Console(stderr=True)


@train_app.command("ner")
def train_ner(
    seed: int = typer.Option(13, "--seed", help="Seed for the training order (same seed, same model)."),
    data: Path | None = typer.Option(None, "--data", help="Shared data folder (default: $MARSAD_DATA or ../shared/data)."),
) -> None:
    """Rebuild the shipped NER model from ANERcorp train and the gazetteers; print the dev10 score.

    Example: marsad train ner --seed 13
    """
    from marsad.nlp.ner.train import train

    meta = train(str(data) if data else None, seed=seed, progress=lambda s: console.print(f"[dim]{s}[/dim]"))
    dev = meta["dev10"]
    typer.echo(json.dumps({"dev10": dev, "train_seconds": meta["train_seconds"]}, ensure_ascii=False))


@eval_app.command("ner")
def eval_ner(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="Annotated file: ANERcorp CoNLL, WikiFANE or Wojood."),
    scheme: str = typer.Option("anercorp", "--scheme", help="anercorp (PERS/LOC/ORG/MISC) or marsad (fine types)."),
    fmt: str = typer.Option("auto", "--format", help="auto, conll, wikifane or wojood."),
    doc_size: int = typer.Option(20, "--doc-size", help="Sentences per pseudo-document for consistency (0 = off)."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
) -> None:
    """Score the shipped NER stage on an annotated file with exact-span (CoNLL) matching.

    Example: marsad eval ner ../shared/data/ner/anercorp/ANERCorp_reconstructed_dev10.txt --scheme anercorp --json
    """
    from marsad.errors import ModelError
    from marsad.nlp.ner.corpora import read_any
    from marsad.nlp.ner.evaluate import SCHEMES
    from marsad.nlp.ner.model import shipped
    from marsad.nlp.ner.stage import tag_corpus

    if scheme not in SCHEMES:
        raise ModelError(f"unknown scheme {scheme!r} (known: {', '.join(SCHEMES)})")
    sents, type_map = read_any(file, fmt)
    gold_map = None if scheme == "anercorp" and type_map.get("PERS") == "PERSON" and "MISC" in type_map else type_map
    result = tag_corpus(shipped(), sents, scheme=scheme, gold_map=gold_map, doc_size=doc_size)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
        return
    table = Table(title=f"NER on {file.name} ({scheme}, exact spans)")
    for col in ("type", "P", "R", "F1", "support"):
        table.add_column(col)
    for t, v in result["per_type"].items():  # type: ignore[union-attr]
        table.add_row(t, f"{v['p']:.3f}", f"{v['r']:.3f}", f"{v['f1']:.3f}", str(v["support"]))
    m = result["micro"]
    table.add_row("micro", f"{m['p']:.3f}", f"{m['r']:.3f}", f"{m['f1']:.3f}", "")  # type: ignore[index]
    Console().print(table)
    typer.echo(f"macro F1 {result['macro_f1']}; {result['tokens_per_s']} tokens/s")


def register(app: typer.Typer) -> None:
    """Commands attach to the shared ``train``/``eval`` groups (see marsad.commands.groups)."""
    del app
