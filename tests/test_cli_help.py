"""Every CLI command is documented, with an example, and the public API list is complete."""

import typer
from typer.testing import CliRunner

import marsad
from marsad.cli import app

runner = CliRunner()


def _commands(group: typer.Typer, prefix: str = ""):
    for info in group.registered_commands:
        name = info.name or info.callback.__name__.replace("_", "-")
        yield prefix + name, info.callback
    for sub in group.registered_groups:
        yield from _commands(sub.typer_instance, prefix + sub.name + " ")


def test_every_command_has_help_with_an_example() -> None:
    found = list(_commands(app))
    assert {"ingest", "analyze", "search", "show", "stats", "export"} <= {n for n, _ in found}
    for name, callback in found:
        doc = callback.__doc__ or ""
        assert doc.strip(), f"{name} has no help"
        assert "Example:" in doc, f"{name} help has no example"
        result = runner.invoke(app, name.split() + ["--help"])
        assert result.exit_code == 0, (name, result.output)


def test_public_api_is_complete() -> None:
    for name in marsad.__all__:
        assert hasattr(marsad, name), name
