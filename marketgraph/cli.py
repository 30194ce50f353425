"""The ``marketgraph`` command line: build, query, export, serve and draw the graph."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from marketgraph.analyze import analyze_app
from marketgraph.console import StoreOption, err, open_for, out, reports_errors, settings_for
from marketgraph.errors import InputError

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Turn market-research reports into a knowledge graph you can query, explore and trust.",
)
app.add_typer(analyze_app, name="analyze")


@app.command()
@reports_errors
def build(
    paths: Annotated[list[Path], typer.Argument(help="Report files or folders.")],
    store: StoreOption = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="spaCy processes.")] = 1,
    model: Annotated[str | None, typer.Option(help="spaCy pipeline to load.")] = None,
) -> None:
    """Extract facts from reports (.txt, .md, .html, .pdf) into the store.

    Each report is one named graph; building a report again replaces it.
    Every input is checked before anything is written.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from marketgraph.extract.pipeline import Extractor
    from marketgraph.graph.analysis import refresh_analysis_if_small
    from marketgraph.graph.build import build_documents, load_documents

    settings = settings_for(store, spacy_model=model)
    documents = load_documents(paths)
    extractor = Extractor(model=settings.spacy_model, batch_size=settings.batch_size)
    with (
        open_for(settings) as graph,
        Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
            disable=not err.is_terminal,
        ) as bar,
    ):
        task = bar.add_task("extracting", total=len(documents))
        summary = build_documents(
            graph,
            documents,
            extractor=extractor,
            jobs=jobs,
            progress=lambda facts: bar.update(task, advance=1, description=facts.source_name),
        )
        analysis = refresh_analysis_if_small(graph)
    totals = summary.totals()
    table = Table("found", "count")
    for kind, count in sorted(totals.items()):
        table.add_row(kind, str(count))
    out.print(table)
    out.print(f"{len(summary.reports)} report(s) built in {summary.seconds:.1f} s")
    if analysis is None:
        out.print("the graph is large: run 'marketgraph analyze refresh' to update the rankings")


@app.command()
@reports_errors
def export(
    out_file: Annotated[
        Path, typer.Option("--out", "-o", help="File to write; format from its suffix.")
    ],
    store: StoreOption = None,
) -> None:
    """Write the whole store to a file (.nq, .trig, .ttl, .nt, .jsonld, .rdf)."""
    settings = settings_for(store)
    with open_for(settings, read_only=True) as graph:
        count = graph.dump(out_file)
    out.print(f"wrote {count} statements to {out_file}")


class ResultFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    tsv = "tsv"
    xml = "xml"


@app.command()
@reports_errors
def query(
    text: Annotated[str, typer.Argument(help="A SPARQL query, or @FILE to read one.")],
    store: StoreOption = None,
    fmt: Annotated[ResultFormat, typer.Option("--format", "-f")] = ResultFormat.table,
) -> None:
    """Run a SPARQL query over every report (the vocabulary's prefixes are predeclared)."""
    import pyoxigraph as ox

    if text.startswith("@"):
        path = Path(text[1:])
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as e:
            raise InputError(f"{path}: cannot read the query file ({e.strerror})") from None
    with open_for(settings_for(store), read_only=True) as graph:
        results = graph.query(text)
        if isinstance(results, ox.QueryBoolean):
            out.print("true" if results else "false")
            return
        if isinstance(results, ox.QueryTriples):
            sys.stdout.buffer.write(results.serialize(format=ox.RdfFormat.TURTLE) or b"")
            return
        if fmt is ResultFormat.table:
            table = Table(*[v.value for v in results.variables])
            for row in results:
                table.add_row(*["" if t is None else _show(t) for t in row])
            out.print(table)
            return
        formats = {
            ResultFormat.json: ox.QueryResultsFormat.JSON,
            ResultFormat.csv: ox.QueryResultsFormat.CSV,
            ResultFormat.tsv: ox.QueryResultsFormat.TSV,
            ResultFormat.xml: ox.QueryResultsFormat.XML,
        }
        sys.stdout.buffer.write(results.serialize(format=formats[fmt]) or b"")


def _show(term) -> str:
    return term.value if hasattr(term, "value") else str(term)


@app.command()
@reports_errors
def reports(store: StoreOption = None) -> None:
    """List the reports in the store."""
    with open_for(settings_for(store), read_only=True) as graph:
        infos = graph.reports()
    table = Table("report", "title", "format", "triples", "built")
    for info in infos:
        table.add_row(
            info.source_name,
            info.title or "",
            info.format or "",
            str(info.triples),
            info.built_at or "",
        )
    out.print(table if infos else "no reports yet; add some with 'marketgraph build PATH'")


@app.command()
@reports_errors
def remove(
    report: Annotated[str, typer.Argument(help="Source name, slug or IRI of the report.")],
    store: StoreOption = None,
) -> None:
    """Remove one report's named graph from the store."""
    from marketgraph.graph.analysis import refresh_analysis_if_small

    with open_for(settings_for(store)) as graph:
        info = graph.remove_report(report)
        refresh_analysis_if_small(graph)
    out.print(f"removed {info.source_name} ({info.triples} triples)")


@app.command()
@reports_errors
def stats(store: StoreOption = None) -> None:
    """Count what the store holds: reports, entities by class, events, numbers."""
    from marketgraph.ontology import MG, ONTOLOGY_GRAPH

    with open_for(settings_for(store), read_only=True) as graph:
        rows = graph.select(
            f"""SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
                  GRAPH ?g {{ ?s a ?class }} FILTER(?g != {ONTOLOGY_GRAPH.n3()})
                }} GROUP BY ?class ORDER BY ?class"""
        )
        size = len(graph)
    table = Table("class", "instances", title=f"{size} quads")
    for row in rows:
        table.add_row(row["class"].replace(str(MG), "mg:"), str(row["n"]))
    out.print(table)


@app.command()
@reports_errors
def serve(
    store: StoreOption = None,
    host: Annotated[str | None, typer.Option(help="Interface to bind.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    access_log: Annotated[
        bool, typer.Option("--access-log/--no-access-log", help="Log a line per request.")
    ] = True,
) -> None:
    """Serve the SPARQL endpoint, the REST API and the graph pages."""
    import socket

    import uvicorn

    from marketgraph.api.app import create_app

    settings = settings_for(store, host=host, port=port)
    # Bind first, so a port in use is one clear line, not a server's traceback.
    family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((settings.host, settings.port))
    except OSError as e:
        listener.close()
        if isinstance(e, socket.gaierror):
            raise InputError(f"cannot listen on {settings.host!r}: not a known host") from None
        raise InputError(
            f"cannot listen on {settings.host}:{settings.port} ({e.strerror}); "
            "stop what uses it or pick another --port"
        ) from None
    with open_for(settings) as graph:
        application = create_app(settings, store=graph)
        base = f"http://{settings.host}:{settings.port}"
        out.print(
            f"graph page     {base}/\nSPARQL         {base}/sparql\nAPI docs       {base}/docs",
            highlight=False,
        )
        config = uvicorn.Config(application, log_level="info", access_log=access_log)
        uvicorn.Server(config).run(sockets=[listener])


@app.command()
@reports_errors
def visualize(
    out_file: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")],
    store: StoreOption = None,
    focus: Annotated[str | None, typer.Option(help="Centre on this entity (name).")] = None,
    report: Annotated[
        str | None, typer.Option(help="Only this report (source name, slug or IRI).")
    ] = None,
) -> None:
    """Write an interactive graph page as a self-contained HTML file."""
    from marketgraph.visual.pages import write_overview

    settings = settings_for(store)
    with open_for(settings, read_only=True) as graph:
        iri = graph.find_report(report).iri if report else None
        write_overview(graph, out_file, focus=focus, node_budget=settings.node_budget, report=iri)
    out.print(f"wrote {out_file}")


def main() -> None:
    """The console script: usage errors, like every other error, in one line."""
    try:
        code = app(standalone_mode=False)
    except typer.Abort:
        err.print("aborted")
        code = 130
    except typer.TyperException as e:
        message = e.format_message() if hasattr(e, "format_message") else str(e)
        if type(e).__name__ == "NoArgsIsHelpError":
            # A bare 'marketgraph' or 'marketgraph analyze': the help is what was asked for.
            err.print(message)
            code = 0
        else:
            ctx = getattr(e, "ctx", None)
            command = ctx.command_path if ctx is not None else "marketgraph"
            err.print(
                f"[bold red]error:[/] {message.rstrip('.')}; see '{command} --help'",
                highlight=False,
                soft_wrap=True,
            )
            code = 2
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
