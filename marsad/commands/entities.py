"""Entity commands: ``marsad entities``, ``marsad entity NAME``, ``entities merge/split``; ``train gazetteer``,
``eval coref`` and ``eval translit``.

The cross-article table (:mod:`marsad.nlp.entity_table`) is built from the stored analyses; user merges and
splits are kept in ``<db>.entities.json`` beside an SQLite store until the store keeps them itself.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from marsad.commands.core import DbOpt
from marsad.commands.groups import eval_app, train_app

out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print as JSON.")]
DataOpt = Annotated[Path | None, typer.Option("--data", help="Shared data folder (default: $MARSAD_DATA or "
                                                                "../shared/data).")]

entities_app = typer.Typer(help="The corpus entity table. Example: marsad entities --type PERSON --top 20",
                           invoke_without_command=True, no_args_is_help=False)


def _db_path(db: str | None) -> str:
    from marsad.store import default_url

    return db or default_url()


def _sidecar(db: str | None) -> Path | None:
    """The ``<store>.entities.json`` corrections file older versions kept beside an SQLite store."""
    path = _db_path(db)
    for prefix in ("sqlite:///", "sqlite://"):
        path = path.removeprefix(prefix)
    if "://" in path or path in ("", ":memory:"):
        return None
    return Path(path).with_suffix(".entities.json")


def migrate_sidecar(store: Any, sidecar: Path | None) -> int:
    """Move the corrections of an old sidecar file into the store (once; the file is renamed)."""
    from marsad.nlp.entity_table import Overrides

    if sidecar is None or not sidecar.is_file():
        return 0
    ov = Overrides.load(sidecar)
    kept = {(r["kind"], r["a"], r["b"], tuple(r["variants"] or ())) for r in store.entity_overrides()}
    n = 0
    for a, b in ov.merges:
        if ("merge", a, b, ()) not in kept:
            store.add_entity_override("merge", a, b)
            n += 1
    for eid, variants in ov.splits:
        if ("split", eid, None, tuple(variants)) not in kept:
            store.add_entity_override("split", eid, variants=list(variants))
            n += 1
    sidecar.rename(sidecar.with_name(sidecar.name + ".migrated"))
    return n


def _table(db: str | None) -> Any:
    from marsad.nlp.entity_table import EntityTable, Overrides
    from marsad.store import open_store

    with open_store(_db_path(db), create=False) as store:
        migrate_sidecar(store, _sidecar(db))
        return EntityTable.build(store.iter_entity_rows(), Overrides.from_rows(store.entity_overrides()))


def _keep(db: str | None, kind: str, pairs: list[tuple[str, str | None, list[str] | None]]) -> None:
    from marsad.store import open_store

    with open_store(_db_path(db), create=False) as store:
        for a, b, variants in pairs:
            store.add_entity_override(kind, a, b, variants)


@entities_app.callback()
def entities(
    ctx: typer.Context,
    type: Annotated[str | None, typer.Option("--type", "-t", help="PERSON, ORG, PLACE (GPE/LOC/FAC), GPE, "
                                                                      "NORP, WEAPON …")] = None,
    top: Annotated[int, typer.Option("--top", "-n", min=1, help="How many entities.")] = 20,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List the most frequent entities across stored articles (by number of articles).

    Example: marsad entities --type PERSON --top 50 --json
    """
    if ctx.invoked_subcommand:
        return
    rows = [e.summary() for e in _table(db).top(type=type, n=top)]
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        return
    t = Table(title=f"top {top} entities" + (f" ({type})" if type else "") + " — ids and variants: --json")
    for col in ("canonical", "type", "latin", "cc", "articles", "mentions", "first", "last"):
        t.add_column(col, overflow="fold")
    for r in rows:
        t.add_row(r["canonical"], r["type"], r["latin"] or "", r["country"] or "", str(r["articles"]),
                  str(r["mentions"]), (r["first_seen"] or "")[:7], (r["last_seen"] or "")[:7])
    out.print(t)


@entities_app.command("merge")
def merge(
    a: Annotated[str, typer.Argument(help="Entity id or name to keep.")],
    b: Annotated[str, typer.Argument(help="Entity id or name to fold into A.")],
    db: DbOpt = None,
) -> None:
    """Merge two corpus entities; kept across re-ingests (stored by the stable per-article ids).

    Example: marsad entities merge "بيني غانتس" "جانتس"
    """
    table = _table(db)
    ea, eb = table.find(a), table.find(b)
    if ea is None or eb is None:
        err.print(f"marsad: no entity named {a if ea is None else b!r}", markup=False)
        raise typer.Exit(1)
    if ea.gid == eb.gid:
        err.print("already one entity", markup=False)
        return
    _keep(db, "merge", [(min(ea.ids), min(eb.ids), None)])
    err.print(f"merged {eb.canonical} ({eb.gid}) into {ea.canonical} ({ea.gid})", markup=False)


@entities_app.command("split")
def split(
    entity: Annotated[str, typer.Argument(help="Entity id (per-article or corpus) or name.")],
    variants: Annotated[list[str], typer.Argument(help="Variant spellings to move into a new entity.")],
    db: DbOpt = None,
) -> None:
    """Split variants out of an entity into a new one; kept across re-ingests.

    Example: marsad entities split 3f2a9c01e4b5d6a7 "غانتس"
    """
    table = _table(db)
    e = table.find(entity)
    if e is None:
        err.print(f"marsad: no entity named {entity!r}", markup=False)
        raise typer.Exit(1)
    unknown = [v for v in variants if " ".join(v.split()) not in e.variants]
    if unknown:
        err.print(f"marsad: {e.canonical} has no variant {unknown[0]!r} (has: {', '.join(e.variants)})", markup=False)
        raise typer.Exit(1)
    _keep(db, "split", [(eid, None, [" ".join(v.split()) for v in variants]) for eid in sorted(e.ids)])
    err.print(f"split {', '.join(variants)} out of {e.canonical} ({e.gid})", markup=False)


def entity(
    name: Annotated[str, typer.Argument(help="Entity id, Arabic name (any spelling), Latin form or English place.")],
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """One entity: variants, role history, articles, co-occurring entities, mentions over time.

    Example: marsad entity "بيني غانتس"   ·   marsad entity Morocco --json
    """
    table = _table(db)
    e = table.find(name)
    if e is None:
        err.print(f"marsad: no entity named {name!r}", markup=False)
        raise typer.Exit(1)
    d = table.detail(e.gid)
    if as_json:
        sys.stdout.write(json.dumps(d, ensure_ascii=False, indent=1) + "\n")
        return
    out.print(f"[bold]{d['canonical']}[/bold]  {d['type']}  {d['latin'] or ''}  {d['country'] or ''}  id {d['id']}")
    out.print(f"{d['articles']} articles, {d['mentions']} mentions, {d['first_seen']} … {d['last_seen']}")
    out.print("variants: " + "، ".join(f"{k} ({v})" for k, v in d["variants"].items()))
    if d["roles"]:
        out.print("roles: " + "، ".join(f"{k} ({v})" for k, v in d["roles"].items()))
    t = Table(title="co-occurring")
    for col in ("canonical", "type", "articles"):
        t.add_column(col)
    for c in d["cooccurring"]:
        t.add_row(c["canonical"], c["type"], str(c["articles"]))
    out.print(t)
    out.print("per month: " + "  ".join(f"{k}: {v}" for k, v in d["timeline"].items()))
    for art in d["articles_list"][:10]:
        out.print(f"  {art['id']}  {art['published'] or ''}  {art['title'] or ''}", markup=False)


@train_app.command("gazetteer")
def train_gazetteer(data: DataOpt = None) -> None:
    """Rebuild the places gazetteer (countries, Arab cities, aliases, demonyms) from the shared data.

    Example: marsad train gazetteer
    """
    from marsad.gazetteer import build_gazetteer

    typer.echo(json.dumps(build_gazetteer(data), ensure_ascii=False))


@eval_app.command("coref")
def eval_coref(
    data: DataOpt = None,
    mode: Annotated[str, typer.Option("--mode", help="oracle (gold mentions) or pipeline (NER mentions).")] = "oracle",
    errors: Annotated[bool, typer.Option("--errors", help="Also list the wrong and missed links.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Score within-article coreference (pairwise, B3, MUC) on tests/gold/coref.

    Example: marsad eval coref --mode oracle --json
    """
    from marsad.gazetteer import default_data_dir
    from marsad.nlp.link_eval import evaluate

    if mode not in ("oracle", "pipeline"):
        raise typer.BadParameter("must be oracle or pipeline", param_hint="--mode")
    scores = evaluate(data or default_data_dir(), mode=mode)
    d = scores.as_dict()
    if errors:
        d["errors"] = scores.errors
    if as_json:
        sys.stdout.write(json.dumps(d, ensure_ascii=False) + "\n")
        return
    t = Table(title=f"coreference ({mode}): {d['articles']} articles, {d['mentions']} mentions")
    for col in ("metric", "P", "R", "F1"):
        t.add_column(col)
    for k in ("pairwise", "b3", "muc"):
        t.add_row(k, str(d[k]["precision"]), str(d[k]["recall"]), str(d[k]["f1"]))
    out.print(t)
    for e in d.get("errors", []):
        out.print(f"{e['kind']}: {e['a']} ~ {e['b']}  ({e['file']})", markup=False)


@eval_app.command("translit")
def eval_translit(as_json: JsonOpt = False) -> None:
    """Compare the transliteration back ends on tests/gold/translit.tsv (exact match, character error rate).

    Example: marsad eval translit --json
    """
    from marsad.translit import compare_backends

    d = compare_backends()
    if as_json:
        sys.stdout.write(json.dumps(d, ensure_ascii=False) + "\n")
        return
    t = Table(title=f"transliteration, {d['names']} names")
    for col in ("back end", "exact", "CER", "key match"):
        t.add_column(col)
    for k, v in d["backends"].items():
        t.add_row(k, str(v["exact"]), str(v["cer"]), str(v["key_match"]))
    out.print(t)


def register(app: typer.Typer) -> None:
    app.add_typer(entities_app, name="entities")
    app.command("entity")(entity)
