"""CLI command modules; each exposes ``register(app: typer.Typer)``. See marsad/cli.py."""
