"""The ``marsad`` command line: a thin shell. Each command parses, calls one library function, formats.

Commands live in ``marsad.commands.<area>`` modules, each exposing ``register(app)``; library errors
become one-line messages and exit codes here, at the edge.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import typer

from marsad.errors import MarsadError
from marsad.nlp.ner.modes import mode_from_env

app = typer.Typer(
    name="marsad",
    help="Marsad (مرصد): turn raw Arabic news into structured, searchable, checkable intelligence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register_commands() -> None:
    import marsad.commands as pkg

    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"marsad.commands.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)


_register_commands()


def main() -> None:
    """Console entry point: run the app, turning Marsad errors into one line and exit code 2."""
    try:
        mode_from_env()  # a bad $MARSAD_NER_MODE is one error now, not one skipped line per document later
        app()
    except MarsadError as exc:
        print(f"marsad: error: {exc.one_line()}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("marsad: interrupted", file=sys.stderr)
        sys.exit(130)


if __name__ == "__main__":
    main()
