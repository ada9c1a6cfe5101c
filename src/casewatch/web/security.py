"""Login throttling, CSRF tokens, security headers, the client's address, and a request log free of child data.

Throttling counts failures in the store, not in memory, so it holds across workers and restarts in a multi-user
deployment. It counts twice, apart: per account, which locks the account with a growing backoff wherever the
attempts come from (credential stuffing from many addresses), and per address, which only slows that address
(password spraying) and so can never lock anyone else's account.

The request log records the route's template (``/child/{token}``), never the concrete path or query string, so
neither a child token nor a filter value ends up in a log file.

The client's address is the socket peer's unless that peer is one of the configured trusted proxies: only then is
``X-Forwarded-For`` read, because anyone can send that header and a forged one would otherwise put any address in
the audit log and dodge the per-address sign-in limit.
"""

from __future__ import annotations

import ipaddress
import logging
import secrets
import time
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, func, insert, select
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from casewatch.web import store

log = logging.getLogger("casewatch.web")

#: Failed sign-ins in a row (since the last success) that lock an account, and how long: the lock doubles with each
#: further failure, from LOCK_FIRST up to LOCK_LONGEST. Failures older than FAILURE_MEMORY are forgotten.
ACCOUNT_LIMIT = 5
LOCK_FIRST = timedelta(minutes=5)
LOCK_LONGEST = timedelta(hours=1)
FAILURE_MEMORY = timedelta(hours=24)
#: Failed sign-ins from one address, against any accounts, that make the address wait (password spraying).
ADDRESS_LIMIT = 20
ADDRESS_WINDOW = timedelta(minutes=10)

#: Everything from the app itself, nothing inline: an injected <script> or style="" would not run even if a page
#: ever failed to escape something. No page may be framed (against clickjacking), no plugin content loaded.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; object-src 'none'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)
#: Browsers that have seen the app over https stay on https for a year (sent only when cookies are Secure).
STRICT_TRANSPORT = b"max-age=31536000"
#: Longer user agents are cut: the header is the client's to fill, and the audit log should not be.
USER_AGENT_KEPT = 300
#: The audit log's address column (an IPv6 address with a zone can be longer than any plain address).
ADDRESS_KEPT = 64

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Client:
    """Who is at the other end of the request being served, as the audit log records them."""

    address: str
    user_agent: str


#: The client of the request this code runs for; set by :class:`SecurityHeaders` around every request, so that every
#: audit entry carries it without each route having to pass it on (context variables follow into the thread pool).
_current_client: ContextVar[Client | None] = ContextVar("casewatch_client", default=None)


def current_client() -> Client | None:
    """The client of the request being served, or None outside a request (the command line)."""
    return _current_client.get()


def trusted_networks(specs: Iterable[str]) -> tuple[Network, ...]:
    """Parse ``--trusted-proxy`` values (an address or a network such as 10.0.0.0/24); ValueError names a bad one."""
    networks = []
    for spec in specs:
        try:
            networks.append(ipaddress.ip_network(spec.strip(), strict=False))
        except ValueError:
            raise ValueError(
                f"the trusted proxy '{spec}' is neither an IP address nor a network such as 10.0.0.0/24"
            ) from None
    return tuple(networks)


def _is_trusted(address: str, trusted: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def client_address(peer: str, forwarded_for: list[str], trusted: tuple[Network, ...]) -> str:
    """The client's address: the socket ``peer``, or, when the peer is a trusted proxy, the right-most address in
    ``X-Forwarded-For`` that is not itself a trusted proxy.

    Each proxy appends the address it was connected from, so entries are believable only from the right, up to the
    first one no trusted proxy vouches for; anything to its left was written by the client and may be forged. A
    malformed entry there means the proxy is misconfigured, and the peer is the one address still known.
    """
    if not _is_trusted(peer, trusted):
        return peer
    hops = [hop.strip() for header in forwarded_for for hop in header.split(",") if hop.strip()]
    address = peer
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return peer
        address = hop
        if not _is_trusted(hop, trusted):
            break
    return address


def lock_for(failures: int) -> timedelta:
    """How long an account stays locked after its latest failure, given its failures since the last success.

    Nothing below ACCOUNT_LIMIT; then LOCK_FIRST, doubling with each further failure up to LOCK_LONGEST. Someone
    guessing gets a handful of tries an hour at most, while the owner, locked out by a stranger, is never kept out
    for longer than LOCK_LONGEST after the stranger's last try.
    """
    if failures < ACCOUNT_LIMIT:
        return timedelta(0)
    backoff: timedelta = LOCK_FIRST * 2 ** min(failures - ACCOUNT_LIMIT, 16)
    return min(backoff, LOCK_LONGEST)


def _account_key(username: str) -> str:
    # Any name typed is counted, whether or not the account exists, so a lock says nothing about which ones do.
    return f"account:{username.strip().lower()}"


def _address_key(address: str) -> str:
    return f"address:{address}"


def account_locked_until(engine: Engine, username: str, now: datetime | None = None) -> datetime | None:
    """When the account's lock ends, or None when it is not locked."""
    now = now or datetime.now()
    f = store.login_failures
    with engine.connect() as conn:
        failures, latest = conn.execute(
            select(func.count(), func.max(f.c.at)).where(
                f.c.key == _account_key(username), f.c.at > now - FAILURE_MEMORY
            )
        ).one()
    if latest is None or failures < ACCOUNT_LIMIT:
        return None
    until: datetime = latest + lock_for(failures)
    return until if until > now else None


def address_slowed_until(engine: Engine, address: str, now: datetime | None = None) -> datetime | None:
    """When the address may try again, or None: ADDRESS_LIMIT failures within ADDRESS_WINDOW make it wait until the
    oldest of them leaves the window (a rate, not a lock: no account is affected, and it lapses by itself)."""
    now = now or datetime.now()
    f = store.login_failures
    with engine.connect() as conn:
        recent = list(
            conn.execute(
                select(f.c.at)
                .where(f.c.key == _address_key(address), f.c.at > now - ADDRESS_WINDOW)
                .order_by(f.c.at.desc())
                .limit(ADDRESS_LIMIT)
            ).scalars()
        )
    if len(recent) < ADDRESS_LIMIT:
        return None
    oldest: datetime = recent[-1]
    return oldest + ADDRESS_WINDOW


def refusal(engine: Engine, username: str, address: str, now: datetime | None = None) -> str | None:
    """The sentence refusing a sign-in before the password is checked, or None when it may be tried.

    A locked account is refused from every address, even with the right password (otherwise guessing would go on);
    a slowed address is refused for every account, but only from that address.
    """
    now = now or datetime.now()
    for until, sentence in (
        (account_locked_until(engine, username, now), "This account is locked after too many failed sign-ins."),
        (address_slowed_until(engine, address, now), "There have been too many failed sign-ins from your network."),
    ):
        if until is not None:
            minutes = max(1, -(-int((until - now).total_seconds()) // 60))
            return f"{sentence} Try again in {minutes} minute{'s' if minutes > 1 else ''}."
    return None


def record_failure(engine: Engine, username: str, address: str, now: datetime | None = None) -> None:
    """Count a failed sign-in against the account and, separately, the address; forget what is too old to count."""
    now = now or datetime.now()
    f = store.login_failures
    with engine.begin() as conn:
        conn.execute(delete(f).where(f.c.at < now - FAILURE_MEMORY))
        conn.execute(insert(f), [{"key": _account_key(username), "at": now}, {"key": _address_key(address), "at": now}])


def clear_account(engine: Engine, username: str) -> None:
    """A successful sign-in clears the account's failures (the address's stay, against password spraying)."""
    with engine.begin() as conn:
        conn.execute(delete(store.login_failures).where(store.login_failures.c.key == _account_key(username)))


def tokens_match(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and secrets.compare_digest(str(expected), str(given))


class SecurityHeaders:
    """Adds security headers to every response, logs each request by route template, status and duration, and
    makes the request's :class:`Client` known to the audit log."""

    def __init__(self, app: ASGIApp, https: bool = True, trusted_proxies: tuple[Network, ...] = ()) -> None:
        self.app = app
        self.https = https
        self.trusted_proxies = trusted_proxies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0
        asked = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope.get("headers", [])]
        peer = scope["client"][0] if scope.get("client") else "unknown"
        forwarded = [v for k, v in asked if k == "x-forwarded-for"]
        agent = next((v for k, v in asked if k == "user-agent"), "")[:USER_AGENT_KEPT]
        address = client_address(peer, forwarded, self.trusted_proxies)[:ADDRESS_KEPT]
        client = _current_client.set(Client(address, agent))
        is_static = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
                    (b"cross-origin-opener-policy", b"same-origin"),
                    (b"cross-origin-resource-policy", b"same-origin"),
                ]
                if self.https:
                    headers.append((b"strict-transport-security", STRICT_TRANSPORT))
                if not is_static:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            _current_client.reset(client)
        if not is_static:
            route = scope.get("route")
            template = getattr(route, "path", "(unmatched)")
            log.info("%s %s %s %.0fms", scope["method"], template, status, 1000 * (time.perf_counter() - started))
