"""The ``marketgraph`` command line."""

import typer

app = typer.Typer(no_args_is_help=True, help=__doc__)


@app.command()
def version() -> None:
    """Print the version."""
    from marketgraph import __version__

    typer.echo(__version__)
