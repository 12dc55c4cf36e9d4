"""Text-module commands: ``marsad train lexicon``, ``marsad eval clitics``, ``marsad text tokens|sentences``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from marsad.commands.groups import eval_app, train_app

out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)

text_app = typer.Typer(
    help="Look at the Arabic text rules on a string. Example: marsad text tokens 'وقال غانتس للرباط'",
    no_args_is_help=True,
)


@train_app.command("lexicon")
def train_lexicon(
    data: Annotated[Path | None, typer.Option(help="Data folder (default $MARSAD_DATA or ../shared/data).")] = None,
    min_count: Annotated[int, typer.Option(min=1, help="Drop words seen fewer times.")] = 2,
    max_words: Annotated[int, typer.Option(min=1000, help="Keep at most this many words.")] = 250_000,
    output: Annotated[Path | None, typer.Option("--out", help="Where to write (default: the shipped file).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
) -> None:
    """Rebuild the word-frequency lexicon used for clitic splitting (deterministic: same data, same file).

    Reads news/ant_jawharafm, news/marsum_goud and raw/arwiki under the data folder.

    Example: marsad train lexicon --data ../shared/data
    """
    from marsad.errors import ModelError
    from marsad.text.lexicon import (
        LEXICON_PATH,
        build_lexicon,
        default_data_dir,
        iter_corpus_texts,
        write_lexicon,
    )

    data_dir = data or default_data_dir()
    if not (data_dir / "news").is_dir():
        raise ModelError(f"data folder {data_dir} has no news/ (set --data or MARSAD_DATA)")
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed:,} texts"),
                  TimeElapsedColumn(), console=err, disable=quiet) as progress:
        task = progress.add_task("counting words", total=None)

        def texts():
            for source, text in iter_corpus_texts(data_dir):
                progress.update(task, advance=1, description=f"counting words ({source})")
                yield text

        lex = build_lexicon(texts(), min_count=min_count, max_words=max_words)
    path = write_lexicon(lex, output or LEXICON_PATH)
    out.print(f"{len(lex.counts):,} words (of a {lex.tokens:,}-word corpus) -> {path} "
              f"({path.stat().st_size / 1e6:.2f} MB)")


@eval_app.command("clitics")
def eval_clitics(
    files: Annotated[list[Path] | None, typer.Argument(
        help="TSV files: word, expected prefix, expected stem (default: the shipped hand-checked lists).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    errors: Annotated[bool, typer.Option("--errors", help="List the wrong splits.")] = False,
) -> None:
    """Clitic-splitting accuracy on hand-checked word lists.

    Example: marsad eval clitics --errors
    """
    from marsad.text.lexicon import LEXICON_PATH
    from marsad.text.tokenize import split_clitics

    paths = files or [LEXICON_PATH.parent / "clitic_gold.tsv", LEXICON_PATH.parent / "clitic_heldout.tsv"]
    report: list[dict[str, Any]] = []
    for path in paths:
        rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.startswith("#")]
        wrong = [(w, p, s, *split_clitics(w)) for w, p, s in rows if split_clitics(w) != (p, s)]
        report.append({"file": str(path), "words": len(rows), "correct": len(rows) - len(wrong),
                       "accuracy": round(1 - len(wrong) / max(len(rows), 1), 4),
                       "wrong": [{"word": w, "expected": [p, s], "got": [gp, gs]} for w, p, s, gp, gs in wrong]})
    if as_json:
        out.print(json.dumps(report, ensure_ascii=False, indent=2))
        return
    table = Table("file", "words", "correct", "accuracy")
    for r in report:
        table.add_row(Path(r["file"]).name, str(r["words"]), str(r["correct"]), f"{r['accuracy']:.3f}")
    out.print(table)
    if errors:
        for r in report:
            for w in r["wrong"]:
                out.print(f"{w['word']}: expected {'+'.join(x for x in w['expected'] if x)}, "
                          f"got {'+'.join(x for x in w['got'] if x)}")


@text_app.command("tokens")
def text_tokens(text: Annotated[str, typer.Argument(help="Arabic text.")]) -> None:
    """Show tokens with offsets, normalised form, proclitics and stem.

    Example: marsad text tokens 'وقال غانتس بعد لقائه ببيوض للرباط'
    """
    from marsad.text.tokenize import tokenize

    table = Table("start", "end", "raw", "norm", "prefix", "stem", "stem raw")
    for t in tokenize(text, doc=None):
        table.add_row(str(t.start), str(t.end), text[t.start:t.end], t.norm, t.prefix, t.stem,
                      text[t.stem_start:t.end])
    out.print(table)


@text_app.command("sentences")
def text_sentences(text: Annotated[str, typer.Argument(help="Arabic text ('-' reads stdin).")]) -> None:
    """Print one sentence a line with its offsets.

    Example: marsad text sentences 'قال د. أحمد: «نعم. لا». ثم غادر.'
    """
    import sys

    from marsad.text.sentences import split_sentences

    if text == "-":
        text = sys.stdin.read()
    for s, e in split_sentences(text):
        out.print(f"[{s},{e})\t{text[s:e]}")


def register(app: typer.Typer) -> None:
    app.add_typer(text_app, name="text")
