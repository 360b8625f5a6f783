"""`credgraph demo`: load the sample graph and answer an employer's first questions."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from credgraph.cli.main import stats_table
from credgraph.demo import sample
from credgraph.store import CredentialFilter, CredentialSort, SortField, open_store


async def run_demo(url: str, console: Console) -> None:
    async with open_store(url) as store:
        await store.upsert_sources(sample.SOURCES)
        await store.upsert_occupations(sample.OCCUPATIONS)
        report = await store.upsert_credentials(sample.CREDENTIALS)
        await store.upsert_skill_requirements(sample.REQUIREMENTS)
        console.print(
            f"Loaded sample catalogs into {store.url}: {report.created} created, "
            f"{report.updated} updated, {report.unchanged} unchanged."
        )
        console.print(stats_table("The graph", await store.stats()))

        page = await store.list_credentials(
            CredentialFilter(occupations=(sample.DATA_SCIENTIST.id,)),
            CredentialSort(SortField.TRANSPARENCY, descending=True),
        )
        table = Table(
            title="Credentials preparing for Data Scientists (15-2051.00), most transparent first"
        )
        for column in ("credential", "issuer", "type", "cost", "transparency", "missing"):
            table.add_column(column)
        for view in page.items:
            c = view.credential
            table.add_row(
                c.name,
                view.issuer.name if view.issuer else "?",
                c.type.value,
                f"{c.cost.amount:,.0f} {c.cost.currency}" if c.cost else "not stated",
                f"{view.transparency.score:.0f}",
                ", ".join(view.transparency.missing[:4])
                + (" ..." if len(view.transparency.missing) > 4 else ""),
            )
        console.print(table)

        ids = [sample.CREDENTIALS[2].id, sample.CREDENTIALS[3].id]
        cmp = await store.compare(ids)
        names = {
            s.id: s.name
            for s in await store.get_skills(
                [*cmp.shared_skill_ids, *(i for v in cmp.unique_skill_ids.values() for i in v)]
            )
        }
        console.print(
            f"\n[bold]Compare[/] {sample.CREDENTIALS[2].name!r} with {sample.CREDENTIALS[3].name!r}:"
        )
        console.print(f"  shared skills: {', '.join(names[i] for i in cmp.shared_skill_ids)}")
        for cid, unique in cmp.unique_skill_ids.items():
            console.print(f"  only in {cid}: {', '.join(names[i] for i in unique) or '-'}")
        console.print(f"  Jaccard similarity: {next(iter(cmp.jaccard.values())):.2f}")
        hits = await store.search("sql")
        console.print(
            "\n[bold]Search 'sql':[/] " + "; ".join(f"{h.kind.value} {h.name}" for h in hits[:6])
        )
