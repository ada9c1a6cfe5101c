"""`casewatch serve`: open (or create) the store, load and evaluate the case data if asked or if empty, run the app.

The access log is off: uvicorn's would print every URL with its query string. The app's own request log
(``casewatch.web``) names only the route template, status and duration.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from casewatch.errors import CasewatchError
from casewatch.web import queries
from casewatch.web.auth import DemoAccount, create_demo_accounts
from casewatch.web.ingest import load_into_store
from casewatch.web.oidc import OidcConfig
from casewatch.web.security import Network, trusted_networks
from casewatch.web.settings import AppConfig
from casewatch.web.store import open_store, store_url

Say = Callable[[str], None]


def serve(
    *,
    port: int,
    host: str,
    store: str | None,
    data: Path | None,
    pack: str,
    as_at: date | None,
    secure_cookies: bool,
    example: tuple[Path, date],
    say: Say,
    preload: Callable[[Engine], object] | None = None,
    oidc: OidcConfig | None = None,
    trusted_proxies: tuple[Network, ...] = (),
    protective_marking: str = "",
) -> None:
    """Prepare the store, print the demo accounts on a fresh one, and serve until interrupted.

    The command line checks its options (:func:`marking_settings`, :func:`proxy_settings`) before calling this, so
    a mistyped one fails before the (possibly long) load.

    ``preload`` fills the store instead of loading ``data`` (the demo passes a call to
    :func:`casewatch.web.ingest.store_results` with the council it has just evaluated).
    """
    import uvicorn

    from casewatch.web.app import create_app

    _check_port_free(host, port)
    url = store_url(store, Path.cwd())
    engine = open_store(url)
    say(f"Store: {engine.url.render_as_string(hide_password=True)}")
    if preload is not None:
        preload(engine)
    elif data is not None:
        load_into_store(engine, pack, data, as_at or date.today(), say)
    elif queries.load_info(engine) is None:
        folder, day = example
        say("The store is empty: loading the shipped synthetic example council (no real children).")
        load_into_store(engine, pack, folder, as_at or day, say)
    for account in create_demo_accounts(engine):
        say(_account_line(account))
    if not secure_cookies:
        say("Cookies are not marked Secure (--insecure-cookies): use this only on this machine over http.")
    say(f"casewatch is running at http://{'localhost' if host in ('127.0.0.1', 'localhost') else host}:{port}/")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    if oidc is not None:
        say(f"Sign-in through the identity provider {oidc.issuer} is on (accounts matched on '{oidc.claim}').")
    if trusted_proxies:
        say(f"X-Forwarded-For is believed only from {', '.join(str(n) for n in trusted_proxies)}.")
    if protective_marking:
        say(f"Every page and download is marked {protective_marking}.")
    config = AppConfig(secure_cookies, oidc, trusted_proxies, protective_marking)
    app = create_app(engine, config)
    try:
        # uvicorn's own proxy-header handling is off: it would believe X-Forwarded-For from 127.0.0.1 whatever
        # --trusted-proxy says, and the app decides the client's address in one place (security.client_address).
        uvicorn.run(
            app, host=host, port=port, access_log=False, log_level="info", server_header=False, proxy_headers=False
        )
    except OSError as exc:
        raise CasewatchError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def oidc_settings(issuer: str | None, client_id: str | None, claim: str) -> OidcConfig | None:
    """The identity provider settings from the command line and CASEWATCH_OIDC_CLIENT_SECRET, checked."""
    if not issuer and not client_id:
        return None
    secret = os.environ.get("CASEWATCH_OIDC_CLIENT_SECRET", "")
    if not issuer or not client_id or not secret:
        raise CasewatchError(
            "sign-in through an identity provider needs --oidc-issuer, --oidc-client-id and the "
            "CASEWATCH_OIDC_CLIENT_SECRET environment variable, all three"
        )
    try:
        return OidcConfig(issuer, client_id, secret, claim)
    except ValueError as exc:
        raise CasewatchError(str(exc)) from None


def marking_settings(marking: str) -> str:
    """The ``--protective-marking`` value, checked as AppConfig checks it; a bad one is a one-sentence error."""
    try:
        return AppConfig(protective_marking=marking).protective_marking
    except ValueError as exc:
        raise CasewatchError(str(exc)) from None


def proxy_settings(specs: tuple[str, ...]) -> tuple[Network, ...]:
    """The ``--trusted-proxy`` values as networks; a malformed one is a one-sentence error, not a traceback."""
    try:
        return trusted_networks(specs)
    except ValueError as exc:
        raise CasewatchError(str(exc)) from None


def _check_port_free(host: str, port: int) -> None:
    """Fail before the (possibly long) load rather than after it, when the port is taken."""
    with socket.socket() as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise CasewatchError(
                f"cannot listen on {host}:{port} ({exc.strerror or exc}); choose another port with --port"
            ) from None


def _account_line(account: DemoAccount) -> str:
    return (
        f"  demo account  {account.role:<16} username {account.username:<8} "
        f"password {account.password}  ({account.linked_to})"
    )
