"""`casewatch serve` and `casewatch audit check`: the web app, and the check of its audit log."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from casewatch.api import EXAMPLE_AS_AT, EXAMPLE_COUNCIL
from casewatch.errors import CasewatchError

from .common import IsoDate, console, errors


@click.command()
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--store", default=None, help="Store: a file path or postgresql:// URL (default casewatch-store.sqlite here)."
)
@click.option("--data", "data_path", type=click.Path(path_type=Path), default=None, help="Load this SSD folder first.")
@click.option("--standards", "pack", default="england", show_default=True, help="The pack to evaluate.")
@click.option("--as-at", "as_at", type=IsoDate(), default=None, help="Evaluate as at this date (default today).")
@click.option("--insecure-cookies", is_flag=True, help="Send the session cookie over plain http (local testing only).")
@click.option("--oidc-issuer", default=None, help="Also sign in through this OpenID Connect provider (issuer URL).")
@click.option("--oidc-client-id", default=None, help="casewatch's client id at the identity provider.")
@click.option("--oidc-claim", default="preferred_username", show_default=True, help="The claim naming the account.")
@click.option(
    "--trusted-proxy",
    "trusted_proxies",
    multiple=True,
    help="A reverse proxy (address or network) whose X-Forwarded-For is believed; repeat for several.",
)
@click.option(
    "--protective-marking",
    default="",
    help='A marking such as "OFFICIAL-SENSITIVE" shown on every page and written atop every download.',
)
def serve(
    port: int,
    host: str,
    store: str | None,
    data_path: Path | None,
    pack: str,
    as_at: date | None,
    insecure_cookies: bool,
    oidc_issuer: str | None,
    oidc_client_id: str | None,
    oidc_claim: str,
    trusted_proxies: tuple[str, ...],
    protective_marking: str,
) -> None:
    """Run the web app over the store in this folder (created, loaded and evaluated on first run).

    The identity provider's client secret is read from the CASEWATCH_OIDC_CLIENT_SECRET environment variable,
    never from the command line, where other users of the machine could see it.
    """
    from casewatch.web.serve import marking_settings, oidc_settings, proxy_settings
    from casewatch.web.serve import serve as run_server

    run_server(
        port=port,
        host=host,
        store=store,
        data=data_path,
        pack=pack,
        as_at=as_at,
        secure_cookies=not insecure_cookies,
        example=(EXAMPLE_COUNCIL, EXAMPLE_AS_AT),
        say=console.print,
        oidc=oidc_settings(oidc_issuer, oidc_client_id, oidc_claim),
        trusted_proxies=proxy_settings(trusted_proxies),
        protective_marking=marking_settings(protective_marking),
    )


@click.group("audit")
def audit() -> None:
    """The web app's audit log of child-record views and exports."""


@audit.command("check")
@click.option("--store", default=None, help="Store: a file path or postgresql:// URL (default the one in this folder).")
def audit_check(store: str | None) -> None:
    """Check that no audit entry was changed, removed or inserted in the store; exit 1 if any was."""
    from casewatch.web.audit import check_chain
    from casewatch.web.store import open_store, store_url

    url = store_url(store, Path.cwd())
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file():
        raise CasewatchError(f"there is no casewatch store at {url.removeprefix('sqlite:///')}; give --store")
    result = check_chain(open_store(url))
    console.print(f"{result.entries:,} audit entries checked.")
    for problem in result.problems:
        errors.print(f"[red]{problem}[/red]", highlight=False, soft_wrap=True)
    if result.more_problems:
        errors.print(f"[red]... and {result.more_problems} more problems[/red]")
    if not result.intact:
        sys.exit(1)
    if result.latest_hash:
        console.print(f"The chain is intact. Latest entry {result.latest_id}, seal {result.latest_hash}")
