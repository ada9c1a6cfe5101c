"""Login throttling, CSRF tokens, security headers and a request log that carries no child data.

Throttling counts failures in the store, not in memory, so it holds across workers and restarts in a multi-user
deployment. The request log records the route's template (``/child/{token}``), never the concrete path or query
string, so neither a child token nor a filter value ends up in a log file.
"""

from __future__ import annotations

import logging
import secrets
import time
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, func, insert, select
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from casewatch.web import store

log = logging.getLogger("casewatch.web")

FAILURE_LIMIT = 5
FAILURE_WINDOW = timedelta(minutes=15)

#: Everything from the app itself, nothing inline: an injected <script> or style="" would not run even if a page
#: ever failed to escape something. No page may be framed (against clickjacking), no plugin content loaded.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; object-src 'none'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)
#: Browsers that have seen the app over https stay on https for a year (sent only when cookies are Secure).
STRICT_TRANSPORT = b"max-age=31536000"


def throttle_keys(username: str, client_ip: str) -> list[str]:
    return [f"account:{username.strip().lower()}", f"ip:{client_ip}"]


def is_throttled(engine: Engine, keys: list[str], now: datetime | None = None) -> bool:
    """True when any key (account or address) has FAILURE_LIMIT failures within FAILURE_WINDOW."""
    since = (now or datetime.now()) - FAILURE_WINDOW
    f = store.login_failures
    with engine.connect() as conn:
        counts = conn.execute(
            select(f.c.key, func.count()).where(f.c.key.in_(keys), f.c.at > since).group_by(f.c.key)
        ).all()
    return any(n >= FAILURE_LIMIT for _key, n in counts)


def record_failure(engine: Engine, keys: list[str]) -> None:
    now = datetime.now()
    f = store.login_failures
    with engine.begin() as conn:
        conn.execute(delete(f).where(f.c.at < now - FAILURE_WINDOW))
        conn.execute(insert(f), [{"key": key, "at": now} for key in keys])


def clear_failures(engine: Engine, keys: list[str]) -> None:
    """A successful sign-in clears the account's failures (the address's stay, against password spraying)."""
    with engine.begin() as conn:
        conn.execute(delete(store.login_failures).where(store.login_failures.c.key.in_(keys)))


def tokens_match(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and secrets.compare_digest(str(expected), str(given))


class SecurityHeaders:
    """Adds security headers to every response and logs each request by route template, status and duration."""

    def __init__(self, app: ASGIApp, https: bool = True) -> None:
        self.app = app
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0
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

        await self.app(scope, receive, send_with_headers)
        if not is_static:
            route = scope.get("route")
            template = getattr(route, "path", "(unmatched)")
            log.info("%s %s %s %.0fms", scope["method"], template, status, 1000 * (time.perf_counter() - started))
