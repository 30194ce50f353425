"""What every command shares: consoles, the one-line error, the store option."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from marketgraph.errors import MarketGraphError, StoreError
from marketgraph.settings import Settings, get_settings

out = Console()
err = Console(stderr=True)

StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store", help="Embedded store folder [env MARKETGRAPH_STORE].", show_default=False
    ),
]


def reports_errors(command):
    """Turn a MarketGraphError into one line on stderr and exit status 1."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except MarketGraphError as e:
            err.print(f"[bold red]error:[/] {e}", highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None

    return run


def settings_for(store: Path | None = None, **overrides) -> Settings:
    """The settings, with the flags a command was given (None means not given)."""
    values = {k: v for k, v in overrides.items() if v is not None}
    if store is not None:
        values["store"] = store
    return get_settings().model_copy(update=values)


def open_for(settings: Settings, *, read_only: bool = False):
    """Open the store ``settings`` names.

    Reading commands open an embedded store read-only, so they work while
    ``marketgraph serve`` holds it; a store that does not exist yet is an
    error for them rather than an empty store created by accident.
    """
    from marketgraph.graph.store import open_store_for

    if read_only and settings.backend == "oxigraph" and not settings.store.is_dir():
        raise StoreError(
            f"no store at {settings.store}; build one with 'marketgraph build' or pass --store"
        )
    return open_store_for(settings, read_only=read_only)
