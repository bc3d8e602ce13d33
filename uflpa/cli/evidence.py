"""`uflpa evidence build` and `uflpa evidence verify`: the evidence pack an importer hands CBP
when a shipment is detained; the pack is `uflpa.evidence`'s."""

from __future__ import annotations

from contextlib import ExitStack
from importlib import resources
from pathlib import Path

import typer

from uflpa.cli.shared import LIST_VERSION_HELP, LISTS_HELP, parse_date, screener_factory
from uflpa.errors import UsageError

evidence_app = typer.Typer(
    help="The evidence pack for a detained shipment: build, verify.", no_args_is_help=True
)
EXAMPLES = ("cotton",)


@evidence_app.command("build")
def build_command(
    out: Path = typer.Option(..., "--out", help="Folder to create (it must not exist)."),
    shipment: Path | None = typer.Option(
        None, "--shipment", help="Shipment file (as `uflpa screen` reads) holding the shipment."
    ),
    shipment_id: str | None = typer.Option(
        None, "--shipment-id", help="Which row of the shipment file (by its id column)."
    ),
    party: list[str] = typer.Option(
        [],
        "--party",
        help="Instead of --shipment, the shipment given directly: ROLE=NAME (manufacturer, "
        "seller, exporter, supplier; also manufacturer_address=…), with --goods.",
    ),
    goods: list[str] = typer.Option(
        [],
        "--goods",
        help="The goods of a shipment given directly: hts=…, description=…, "
        "country_of_origin=…, import_date=YYYY-MM-DD, id=….",
    ),
    nodes: Path | None = typer.Option(
        None, "--nodes", help="Supply graph: nodes table, or one FollowTheMoney JSON file."
    ),
    edges: Path | None = typer.Option(None, "--edges", help="Supply graph: edges table."),
    documents: Path | None = typer.Option(
        None, "--documents", help="Folder of the importer's documents."
    ),
    manifest: Path | None = typer.Option(
        None,
        "--manifest",
        help="CSV or YAML saying what each document is: file,kind,party,shipment,date,title "
        "(default: manifest.csv or manifest.yaml in or beside --documents).",
    ),
    manufacturer: str | None = typer.Option(
        None,
        "--manufacturer",
        help="Node id of the goods' manufacturer (default: the node named as the shipment's "
        "manufacturer).",
    ),
    statement: str = typer.Option(
        "", "--statement", help="What the importer asserts, quoted in the executive summary."
    ),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Day to screen and trace on (default: the import date)."
    ),
    built: str | None = typer.Option(
        None, "--built", help="The pack's build date, YYYY-MM-DD (default: today)."
    ),
    example: str | None = typer.Option(
        None, "--example", help="Build the bundled example (cotton: invented data)."
    ),
    pdf: bool = typer.Option(True, "--pdf/--no-pdf", help="Render evidence.pdf with chromium."),
    zip_: bool = typer.Option(True, "--zip/--no-zip", help="Also write OUT.zip."),
    lists: str | None = typer.Option(None, "--lists", help=LISTS_HELP),
    list_version: list[str] = typer.Option([], "--list-version", help=LIST_VERSION_HELP),
) -> None:
    """Build the evidence pack of one shipment: evidence.html (self-contained), evidence.pdf,
    the documents indexed with their SHA-256, and manifest.json; the gaps named first."""
    from uflpa.evidence.pack import EvidenceRequest, build_pack

    with ExitStack() as stack:
        if example is not None:
            if example not in EXAMPLES:
                raise UsageError(f"--example: {example!r} unknown; examples: {', '.join(EXAMPLES)}")
            if shipment or nodes or documents:
                raise UsageError("give either --example or your own files, not both")
            base = resources.files("uflpa.data").joinpath("examples")
            folder = stack.enter_context(resources.as_file(base.joinpath("evidence", example)))
            chain = stack.enter_context(resources.as_file(base.joinpath("chains", example)))
            shipment = folder / "shipment.csv"
            nodes, edges = chain / "nodes.csv", chain / "edges.csv"
            documents, manifest = folder / "documents", manifest or folder / "manifest.csv"
        if party or goods:
            if shipment is not None:
                raise UsageError("give either --shipment FILE or --party/--goods, not both")
            import tempfile

            from uflpa.evidence.chain import shipment_from_fields

            folder_tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            shipment = shipment_from_fields(_pairs([*party, *goods]), folder_tmp)
            shipment_id = None
        if shipment is None or nodes is None:
            raise UsageError(
                "evidence build needs --shipment (or --party and --goods) and --nodes "
                "(or --example cotton)"
            )
        request = EvidenceRequest(
            shipment_file=shipment,
            nodes=nodes,
            edges=edges,
            out=out,
            shipment_id=shipment_id,
            documents=documents,
            manifest=manifest,
            manufacturer=manufacturer,
            as_of=parse_date(as_of),
            statement=statement,
            built=parse_date(built, "--built"),
            pdf=pdf,
            zip=zip_,
        )
        result = build_pack(request, screener_factory(lists, list_version, quiet=True))
    for caveat in result.caveats:
        typer.echo(f"caution: {caveat}", err=True)
    typer.echo(f"evidence pack: {result.folder} ({result.files} files)", err=True)
    if result.zip_path is not None:
        typer.echo(f"  zip: {result.zip_path}", err=True)
    if result.pages is not None:
        typer.echo(f"  evidence.pdf: {result.pages} pages", err=True)
    typer.echo(f"  conclusion: {result.conclusion}; {len(result.gaps)} gap(s) named", err=True)
    for gap in result.gaps[:10]:
        typer.echo(f"  - {gap}", err=True)
    if len(result.gaps) > 10:
        typer.echo(f"  … and {len(result.gaps) - 10} more in evidence.html", err=True)


def _pairs(options: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for option in options:
        key, sep, value = option.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--party/--goods: {option!r} is not FIELD=VALUE")
        out[key.strip().lower()] = value.strip()
    return out


@evidence_app.command("verify")
def verify_command(
    pack: Path = typer.Argument(..., help="The pack's folder or its zip."),
) -> None:
    """Check every file of a pack against its manifest.json: changed, missing, added."""
    from uflpa.evidence.verify import verify

    result = verify(pack)
    for line in result.lines():
        typer.echo(line)
    if not result.ok:
        typer.echo(
            f"uflpa: {pack}: the pack was altered ({len(result.changed)} changed, "
            f"{len(result.missing)} missing, {len(result.added)} added)",
            err=True,
        )
        raise typer.Exit(1)
    typer.echo(f"{pack}: all {result.checked} files match manifest.json", err=True)


def register(app: typer.Typer) -> None:
    app.add_typer(evidence_app, name="evidence")
