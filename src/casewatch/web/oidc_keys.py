"""The identity provider's signing keys, and checking an ID token's signature against them.

An ID token is only believed when one of the keys the provider publishes at its ``jwks_uri`` verifies it, with an
asymmetric algorithm the provider says it uses. ``none`` and the HMAC algorithms are refused whatever the provider
advertises: an HMAC "verified" with the provider's public key would let anyone who has read that key forge a token.

Keys are kept for an hour, so a sign-in does not fetch them every time, and fetched again at once when a token
names a key id casewatch has not seen (the provider has rolled its keys) — but only once per token, so a token
naming an invented key cannot make casewatch hammer the provider.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import jwt

#: Signature algorithms that need the provider's private key to sign: the only ones an ID token may use.
ASYMMETRIC = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519"}
)
#: The JSON Web Key type each algorithm family verifies with.
KEY_TYPE = {"RS": "RSA", "PS": "RSA", "ES": "EC", "Ed": "OKP"}
KEYS_KEPT_FOR = 3600.0  # seconds
CLOCK_SKEW = 120  # seconds of leeway on the token's expiry and issue time

FetchKeys = Callable[[str], dict[str, Any]]


class UntrustedToken(Exception):
    """An ID token that cannot be believed; the message says why, for the audit log (never shown to the user)."""


def accepted_algorithms(metadata: dict[str, Any]) -> frozenset[str]:
    """The asymmetric algorithms the provider advertises (RS256 when it advertises none, as OpenID Connect says)."""
    advertised = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
    return frozenset(str(a) for a in advertised if isinstance(a, str)) & ASYMMETRIC


class KeyCache:
    """The provider's published signing keys, fetched on demand and shared by every sign-in of one app."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._uri = ""
        self._keys: list[tuple[dict[str, Any], jwt.PyJWK]] = []
        self._fetched_at = 0.0

    def key_for(self, jwks_uri: str, kid: str | None, alg: str, fetch: FetchKeys) -> jwt.PyJWK | None:
        """The key that should verify a token signed with ``alg`` under key id ``kid``, or None."""
        with self._lock:
            stale = self._uri != jwks_uri or time.monotonic() - self._fetched_at > KEYS_KEPT_FOR
            if stale:
                self._refresh(jwks_uri, fetch)
            found = self._pick(kid, alg)
            if found is None and not stale:  # perhaps the provider has rolled its keys: look once more
                self._refresh(jwks_uri, fetch)
                found = self._pick(kid, alg)
            return found

    def _refresh(self, jwks_uri: str, fetch: FetchKeys) -> None:
        document = fetch(jwks_uri)
        keys = []
        for data in document.get("keys", []) if isinstance(document, dict) else []:
            if not isinstance(data, dict) or data.get("use", "sig") != "sig":
                continue  # encryption keys, and anything that is not a key, are no use for checking signatures
            try:
                keys.append((data, jwt.PyJWK(data)))
            except jwt.PyJWTError:
                continue  # a key type or curve this installation cannot use: other keys may still do
        self._uri, self._keys, self._fetched_at = jwks_uri, keys, time.monotonic()

    def _pick(self, kid: str | None, alg: str) -> jwt.PyJWK | None:
        fits = [
            key
            for data, key in self._keys
            if data.get("kty") == KEY_TYPE.get(alg[:2])
            and data.get("alg", alg) == alg
            and (kid is None or data.get("kid") == kid)
        ]
        if kid is None and len(fits) != 1:
            return None  # with several keys a token must say which one signed it (OpenID Connect Core 10.1)
        return fits[0] if fits else None


def verified_claims(
    id_token: str, metadata: dict[str, Any], cache: KeyCache, fetch: FetchKeys, required: list[str]
) -> dict[str, Any]:
    """The token's claims once its signature, expiry and issue time check out; raises UntrustedToken otherwise."""
    try:
        header = jwt.get_unverified_header(id_token)
    except jwt.PyJWTError as exc:
        raise UntrustedToken("the ID token is not a signed JWT") from exc
    alg = header.get("alg")
    if not isinstance(alg, str) or alg not in accepted_algorithms(metadata):
        raise UntrustedToken(f"the ID token's algorithm {alg!r} is not an asymmetric one the provider advertises")
    jwks_uri = metadata.get("jwks_uri")
    if not isinstance(jwks_uri, str) or not jwks_uri:
        raise UntrustedToken("the provider publishes no jwks_uri to check signatures with")
    kid = header.get("kid")
    key = cache.key_for(jwks_uri, kid if isinstance(kid, str) else None, alg, fetch)
    if key is None:
        raise UntrustedToken(f"the ID token names a signing key ({kid!r}) the provider does not publish")
    try:
        claims: dict[str, Any] = jwt.decode(
            id_token,
            key.key,
            algorithms=[alg],
            options={"verify_aud": False, "verify_iss": False, "require": required},
            leeway=CLOCK_SKEW,
        )
    except jwt.ExpiredSignatureError as exc:
        raise UntrustedToken("the ID token has expired") from exc
    except jwt.InvalidSignatureError as exc:
        raise UntrustedToken("the ID token's signature does not verify with the provider's key") from exc
    except jwt.PyJWTError as exc:
        raise UntrustedToken(f"the ID token was refused: {exc}") from exc
    return claims
