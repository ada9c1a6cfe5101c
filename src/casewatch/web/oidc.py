"""Sign-in through the council's identity provider: OpenID Connect authorization code flow with PKCE.

The app sends the browser to the provider with a random ``state``, ``nonce`` and a PKCE challenge (S256), keeps
the verifier server-side in the store (so any app process can finish the flow) and ties the state to the browser
that asked for it with a cookie (so nobody can finish a sign-in they started in someone else's browser). On return
it exchanges the code at the token endpoint, authenticated with the client secret, and believes the ID token only
when one of the provider's published keys verifies its signature (:mod:`casewatch.web.oidc_keys`) and its issuer,
audience, expiry and nonce are right. One claim (``preferred_username`` by default) names the casewatch account,
which an administrator must have created: the provider proves who someone is, casewatch still decides what they
may see.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urlparse

import httpx
from sqlalchemy import Engine, delete, insert, select

from casewatch.web import store
from casewatch.web.oidc_keys import KeyCache, UntrustedToken, verified_claims

PENDING_FOR = timedelta(minutes=10)
UNTRUSTED = "The identity provider's answer could not be trusted. Start again."
#: Claims every ID token must carry (OpenID Connect Core 2).
REQUIRED_CLAIMS = ["iss", "sub", "aud", "exp", "iat"]


class OidcError(Exception):
    """A sign-in through the identity provider that cannot be completed.

    The message is shown to the user; ``reason``, when given, says more precisely what was wrong, for the audit log.
    """

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message


@dataclass(frozen=True)
class OidcConfig:
    issuer: str
    client_id: str
    client_secret: str = field(repr=False)
    claim: str = "preferred_username"
    transport: httpx.BaseTransport | None = field(default=None, compare=False)  # tests plug in a fake provider
    keys: KeyCache = field(default_factory=KeyCache, compare=False, repr=False)  # the provider's signing keys

    def __post_init__(self) -> None:
        parsed = urlparse(self.issuer)
        local = parsed.hostname in ("localhost", "127.0.0.1", "::1")
        if parsed.scheme != "https" and not (parsed.scheme == "http" and local):
            raise ValueError(f"the identity provider's issuer must be an https:// URL, not {self.issuer!r}")


def _client(config: OidcConfig) -> httpx.Client:
    return httpx.Client(transport=config.transport, timeout=10.0, follow_redirects=False)


def discover(config: OidcConfig) -> dict[str, Any]:
    """The provider's metadata, checked to name the configured issuer."""
    url = config.issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        with _client(config) as client:
            response = client.get(url)
            response.raise_for_status()
            metadata: dict[str, Any] = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise OidcError("The identity provider could not be reached. Try again, or sign in with a password.") from exc
    if metadata.get("issuer", "").rstrip("/") != config.issuer.rstrip("/"):
        raise OidcError("The identity provider's settings do not match casewatch's configuration.")
    return metadata


def _fetch_keys(config: OidcConfig) -> Callable[[str], dict[str, Any]]:
    def fetch(jwks_uri: str) -> dict[str, Any]:
        try:
            with _client(config) as client:
                response = client.get(jwks_uri)
                response.raise_for_status()
                document: dict[str, Any] = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise OidcError(UNTRUSTED, "the provider's signing keys could not be fetched") from exc
        return document

    return fetch


def _challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def start(engine: Engine, config: OidcConfig, redirect_uri: str, next_path: str) -> tuple[str, str]:
    """The provider's authorization URL to send the browser to, and the attempt's state for the browser's cookie.

    The flow's secrets are kept in the store.
    """
    metadata = discover(config)
    state, nonce, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_urlsafe(48)
    now = datetime.now()
    with engine.begin() as conn:
        conn.execute(delete(store.oidc_pending).where(store.oidc_pending.c.created_at < now - PENDING_FOR))
        conn.execute(
            insert(store.oidc_pending).values(
                state=state, nonce=nonce, verifier=verifier, next_path=next_path, created_at=now
            )
        )
    query = {
        "response_type": "code",
        "client_id": config.client_id,
        "redirect_uri": redirect_uri,
        "scope": "openid profile email",
        "state": state,
        "nonce": nonce,
        "code_challenge": _challenge(verifier),
        "code_challenge_method": "S256",
    }
    return f"{metadata['authorization_endpoint']}?{urlencode(query)}", state


@dataclass(frozen=True)
class Outcome:
    username: str
    next_path: str


def finish(engine: Engine, config: OidcConfig, redirect_uri: str, code: str, state: str) -> Outcome:
    """Exchange the code, check the ID token, and return the account name its claim gives."""
    pending = store.oidc_pending
    with engine.begin() as conn:
        row = conn.execute(select(pending).where(pending.c.state == state)).first()
        conn.execute(delete(pending).where(pending.c.state == state))  # a state is good for one attempt only
    if row is None or datetime.now() - row.created_at > PENDING_FOR:
        raise OidcError("That sign-in link has expired. Start again.")
    metadata = discover(config)
    try:
        with _client(config) as client:
            response = client.post(
                metadata["token_endpoint"],
                data={
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": redirect_uri,
                    "client_id": config.client_id,
                    "code_verifier": row.verifier,
                },
                auth=(config.client_id, config.client_secret),
            )
            response.raise_for_status()
            tokens = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise OidcError("The identity provider did not accept the sign-in. Start again.") from exc
    try:
        claims = verified_claims(
            str(tokens.get("id_token", "")), metadata, config.keys, _fetch_keys(config), REQUIRED_CLAIMS
        )
    except UntrustedToken as exc:
        raise OidcError(UNTRUSTED, str(exc)) from exc
    _check(claims, config, row.nonce)
    username = claims.get(config.claim)
    if not isinstance(username, str) or not username:
        raise OidcError(f"The identity provider did not say who you are (no '{config.claim}' claim).")
    return Outcome(username, row.next_path)


def _check(claims: dict[str, Any], config: OidcConfig, nonce: str) -> None:
    """The signed claims are for this app, from this provider, and for this sign-in attempt."""
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    problems = {
        "the ID token names another issuer": str(claims.get("iss", "")).rstrip("/") != config.issuer.rstrip("/"),
        "the ID token is for another application": config.client_id not in audiences,
        # With several audiences, the party it was issued to must be this app (OpenID Connect Core 3.1.3.7).
        "the ID token was issued to another party": len(audiences) > 1 and claims.get("azp") != config.client_id,
        "the ID token's nonce is not this sign-in's": not secrets.compare_digest(str(claims.get("nonce", "")), nonce),
    }
    for reason, wrong in problems.items():
        if wrong:
            raise OidcError(UNTRUSTED, reason)
