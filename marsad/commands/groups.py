"""Shared command groups: ``marsad train <what>`` and ``marsad eval <what>``; areas add their commands here.

Usage in an area module: ``from marsad.commands.groups import train_app`` then ``@train_app.command("x")``.
"""

from __future__ import annotations

import typer

train_app = typer.Typer(
    help="Rebuild a shipped model from ../shared/data, reproducibly (seeded). Example: marsad train ner --seed 13",
    no_args_is_help=True,
)
eval_app = typer.Typer(
    help="Measure a shipped model on an annotated file. Example: marsad eval ner test.txt --scheme anercorp --json",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(train_app, name="train")
    app.add_typer(eval_app, name="eval")
