"""Sign-in through an identity provider (OpenID Connect, code flow with PKCE), against a small fake provider.

The fake provider runs inside the test as an httpx transport: it publishes its metadata and its public signing keys
(JWKS), issues a code for the user it is told signed in, and at its token endpoint checks the client secret, the
redirect URI and the PKCE verifier against the challenge before returning an ID token signed with its private key.
Each refused token must leave a clear page, no session, and the precise reason in the audit log.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from fastapi.testclient import TestClient
from jwt.algorithms import ECAlgorithm, RSAAlgorithm
from sqlalchemy import func, select
from web_support import Site

from casewatch.web import store
from casewatch.web.app import create_app
from casewatch.web.oidc import OidcConfig
from casewatch.web.settings import AppConfig

ISSUER = "http://localhost:9999/realm"
CLIENT_ID = "casewatch"
SECRET = "fake-provider-secret"
PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass(frozen=True)
class Keys:
    """Generated once per module: RSA keys are slow to make."""

    provider: rsa.RSAPrivateKey
    rolled: rsa.RSAPrivateKey
    stranger: rsa.RSAPrivateKey
    curve: ec.EllipticCurvePrivateKey


@pytest.fixture(scope="module")
def keys() -> Keys:
    def make() -> rsa.RSAPrivateKey:
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)

    return Keys(make(), make(), make(), ec.generate_private_key(ec.SECP256R1()))


def _public_jwk(kid: str, key: PrivateKey, alg: str) -> dict[str, Any]:
    if isinstance(key, rsa.RSAPrivateKey):
        jwk: dict[str, Any] = dict(RSAAlgorithm.to_jwk(key.public_key(), as_dict=True))
    else:
        jwk = dict(ECAlgorithm.to_jwk(key.public_key(), as_dict=True))
    return {**jwk, "kid": kid, "use": "sig", "alg": alg}


class FakeProvider:
    def __init__(self, keys: Keys) -> None:
        self.codes: dict[str, dict[str, Any]] = {}
        self.tamper: dict[str, Any] = {}
        self.published: dict[str, tuple[PrivateKey, str]] = {"key-1": (keys.provider, "RS256")}
        self.algorithms = ["RS256"]
        # How the next ID token is signed: key id in the header, private key, algorithm; or a raw token instead.
        self.sign_with: tuple[str, PrivateKey, str] = ("key-1", keys.provider, "RS256")
        self.raw_token: str | None = None
        self.jwks_fetches = 0

    def sign_in(self, authorize_url: str, username: str) -> tuple[str, str]:
        """What the provider does when the user signs in there: a code for the app's callback, and the state."""
        query = {k: v[0] for k, v in parse_qs(urlparse(authorize_url).query).items()}
        assert query["response_type"] == "code" and query["client_id"] == CLIENT_ID
        assert query["code_challenge_method"] == "S256" and "openid" in query["scope"].split()
        code = secrets.token_urlsafe(16)
        self.codes[code] = {**query, "username": username}
        return code, query["state"]

    def id_token(self, claims: dict[str, Any]) -> str:
        if self.raw_token is not None:
            return self.raw_token
        kid, key, alg = self.sign_with
        return jwt.encode(claims, key, algorithm=alg, headers={"kid": kid})

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/realm/.well-known/openid-configuration":
            return httpx.Response(
                200,
                json={
                    "issuer": ISSUER,
                    "authorization_endpoint": f"{ISSUER}/authorize",
                    "token_endpoint": f"{ISSUER}/token",
                    "jwks_uri": f"{ISSUER}/certs",
                    "id_token_signing_alg_values_supported": self.algorithms,
                },
            )
        if request.url.path == "/realm/certs":
            self.jwks_fetches += 1
            return httpx.Response(
                200, json={"keys": [_public_jwk(kid, key, alg) for kid, (key, alg) in self.published.items()]}
            )
        if request.url.path == "/realm/token":
            form = {k: v[0] for k, v in parse_qs(request.content.decode()).items()}
            expected_auth = "Basic " + base64.b64encode(f"{CLIENT_ID}:{SECRET}".encode()).decode()
            grant = self.codes.pop(form.get("code", ""), None)
            if request.headers.get("authorization") != expected_auth or grant is None:
                return httpx.Response(400, json={"error": "invalid_grant"})
            challenge = _b64(hashlib.sha256(form["code_verifier"].encode()).digest())
            if challenge != grant["code_challenge"] or form["redirect_uri"] != grant["redirect_uri"]:
                return httpx.Response(400, json={"error": "invalid_grant"})
            now = int(time.time())
            claims = {
                "iss": ISSUER,
                "aud": CLIENT_ID,
                "sub": secrets.token_hex(8),
                "iat": now,
                "exp": now + 300,
                "nonce": grant["nonce"],
                "preferred_username": grant["username"],
                **self.tamper,
            }
            body = {"access_token": "at", "token_type": "Bearer", "id_token": self.id_token(claims)}
            return httpx.Response(200, json=body)
        return httpx.Response(404)


@pytest.fixture
def provider(keys: Keys) -> FakeProvider:
    return FakeProvider(keys)


@pytest.fixture
def client(site: Site, provider: FakeProvider) -> TestClient:
    config = OidcConfig(ISSUER, CLIENT_ID, SECRET, transport=httpx.MockTransport(provider.handle))
    return TestClient(create_app(site.engine, AppConfig(secure_cookies=False, oidc=config)), follow_redirects=False)


def _go_to_provider(client: TestClient) -> str:
    assert "Sign in with your council account" in client.get("/login").text
    response = client.get("/login/oidc?next=/team")
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith(f"{ISSUER}/authorize?")
    return str(location)


def _sign_in(client: TestClient, provider: FakeProvider, username: str) -> httpx.Response:
    code, state = provider.sign_in(_go_to_provider(client), username)
    response: httpx.Response = client.get(f"/login/oidc/callback?code={code}&state={state}")
    return response


def _sessions(site: Site) -> int:
    with site.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(store.sessions)).scalar_one())


def _last_refusal(site: Site) -> str:
    a = store.audit_log
    with site.engine.connect() as conn:
        detail = conn.execute(
            select(a.c.detail)
            .where(a.c.action == "sign_in_failed", a.c.target == "identity provider")
            .order_by(a.c.id.desc())
            .limit(1)
        ).scalar()
    return str(detail)


def test_a_manager_signs_in_through_the_identity_provider(
    client: TestClient, provider: FakeProvider, site: Site
) -> None:
    response = _sign_in(client, provider, "manager")
    assert response.status_code == 303 and response.headers["location"] == "/team"
    assert client.get("/team").status_code == 200
    a = store.audit_log
    with site.engine.connect() as conn:
        detail = conn.execute(
            select(a.c.detail).where(a.c.action == "sign_in", a.c.username == "manager").order_by(a.c.id.desc())
        ).scalar()
    assert detail == "identity provider"


def test_the_signing_keys_are_fetched_once_and_again_when_the_provider_rolls_them(
    client: TestClient, provider: FakeProvider, keys: Keys
) -> None:
    assert _sign_in(client, provider, "qa").status_code == 303
    assert _sign_in(client, provider, "head").status_code == 303
    assert provider.jwks_fetches == 1
    provider.published["key-2"] = (keys.rolled, "RS256")
    provider.sign_with = ("key-2", keys.rolled, "RS256")
    assert _sign_in(client, provider, "qa").status_code == 303
    assert provider.jwks_fetches == 2


def test_an_elliptic_curve_key_is_accepted_when_the_provider_advertises_es256(
    client: TestClient, provider: FakeProvider, keys: Keys
) -> None:
    provider.published = {"ec-1": (keys.curve, "ES256")}
    provider.algorithms = ["ES256"]
    provider.sign_with = ("ec-1", keys.curve, "ES256")
    assert _sign_in(client, provider, "qa").status_code == 303


def _unsigned(claims: dict[str, Any]) -> str:
    return ".".join([_b64(json.dumps({"alg": "none", "kid": "key-1"}).encode()), _b64(json.dumps(claims).encode()), ""])


def _hmac_with_public_key(key: rsa.RSAPrivateKey, claims: dict[str, Any]) -> str:
    """The classic confusion attack: an HS256 token whose secret is the provider's public key, which anyone has."""
    secret = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    signing_input = ".".join(
        [_b64(json.dumps({"alg": "HS256", "kid": "key-1"}).encode()), _b64(json.dumps(claims).encode())]
    )
    return signing_input + "." + _b64(hmac.new(secret, signing_input.encode(), hashlib.sha256).digest())


def _claims_for_forgery(username: str) -> dict[str, Any]:
    now = int(time.time())
    return {"iss": ISSUER, "aud": CLIENT_ID, "sub": "x", "iat": now, "exp": now + 300, "preferred_username": username}


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("wrong signature", "signature does not verify"),
        ("unknown key id", "signing key ('key-9') the provider does not publish"),
        ("alg none", "algorithm 'none'"),
        ("hs256 with the public key", "algorithm 'HS256'"),
        ("not a jwt", "not a signed JWT"),
        ("expired", "has expired"),
        ("issued in the future", "refused"),
        ("another audience", "for another application"),
        ("several audiences, issued to another", "issued to another party"),
        ("another issuer", "names another issuer"),
        ("another nonce", "nonce is not this sign-in's"),
        ("no subject", "refused"),
    ],
)
def test_an_id_token_that_cannot_be_trusted_is_refused(
    client: TestClient, provider: FakeProvider, keys: Keys, site: Site, case: str, reason: str
) -> None:
    now = int(time.time())
    if case == "wrong signature":
        provider.sign_with = ("key-1", keys.stranger, "RS256")
    elif case == "unknown key id":
        # Sign someone in first (in another browser) so the keys are cached: the unknown key id then makes the app
        # fetch them once more, and only once.
        assert _sign_in(TestClient(client.app, follow_redirects=False), provider, "head").status_code == 303
        provider.sign_with = ("key-9", keys.stranger, "RS256")
    elif case == "alg none":
        provider.raw_token = _unsigned(_claims_for_forgery("qa"))
    elif case == "hs256 with the public key":
        provider.algorithms = ["RS256", "HS256"]  # even a provider that offers HMAC cannot make casewatch accept it
        provider.raw_token = _hmac_with_public_key(keys.provider, _claims_for_forgery("qa"))
    elif case == "not a jwt":
        provider.raw_token = "not-a-token"
    elif case == "no subject":
        no_subject = {k: v for k, v in _claims_for_forgery("qa").items() if k != "sub"}
        provider.raw_token = jwt.encode(no_subject, keys.provider, algorithm="RS256", headers={"kid": "key-1"})
    else:
        tampered: dict[str, dict[str, Any]] = {
            "expired": {"exp": now - 600, "iat": now - 900},
            "issued in the future": {"iat": now + 3600, "exp": now + 4000},
            "another audience": {"aud": "another-app"},
            "several audiences, issued to another": {"aud": [CLIENT_ID, "another-app"], "azp": "another-app"},
            "another issuer": {"iss": "http://localhost:9999/evil"},
            "another nonce": {"nonce": "replayed"},
        }
        provider.tamper = tampered[case]
    sessions_before = _sessions(site)
    fetches_before = provider.jwks_fetches
    response = _sign_in(client, provider, "qa")
    assert response.status_code == 400
    assert "could not be trusted" in response.text and "<h1" in response.text
    assert "set-cookie" not in response.headers or "casewatch_session" not in response.headers["set-cookie"]
    assert _sessions(site) == sessions_before
    assert client.get("/compliance").status_code == 303
    assert reason in _last_refusal(site)
    if case == "unknown key id":
        assert provider.jwks_fetches == fetches_before + 1


def test_a_state_works_once(client: TestClient, provider: FakeProvider) -> None:
    code, state = provider.sign_in(_go_to_provider(client), "qa")
    assert client.get(f"/login/oidc/callback?code={code}&state={state}").status_code == 303
    replay = client.get(f"/login/oidc/callback?code={code}&state={state}")
    assert replay.status_code == 400 and "expired" in replay.text


def test_a_forged_state_is_refused(client: TestClient, provider: FakeProvider) -> None:
    code, _state = provider.sign_in(_go_to_provider(client), "qa")
    assert client.get(f"/login/oidc/callback?code={code}&state=forged").status_code == 400
    assert client.get("/compliance").status_code == 303


def test_a_sign_in_started_in_another_browser_cannot_be_finished_in_this_one(
    client: TestClient, provider: FakeProvider, site: Site
) -> None:
    """Someone who starts a sign-in and sends the callback link to a colleague must not sign the colleague in."""
    code, state = provider.sign_in(_go_to_provider(client), "qa")
    victim = TestClient(client.app, follow_redirects=False)
    response = victim.get(f"/login/oidc/callback?code={code}&state={state}")
    assert response.status_code == 400
    assert victim.get("/compliance").status_code == 303
    assert "another browser" in _last_refusal(site)


def test_a_wrong_pkce_verifier_is_refused_by_the_provider(client: TestClient, provider: FakeProvider) -> None:
    code, state = provider.sign_in(_go_to_provider(client), "qa")
    provider.codes[code]["code_challenge"] = _b64(hashlib.sha256(b"someone else's verifier").digest())
    response = client.get(f"/login/oidc/callback?code={code}&state={state}")
    assert response.status_code == 400 and "did not accept" in response.text


def test_a_person_without_a_casewatch_account_is_refused(client: TestClient, provider: FakeProvider) -> None:
    response = _sign_in(client, provider, "stranger")
    assert response.status_code == 403 and "no casewatch access" in response.text


def test_without_a_provider_the_routes_do_not_exist(site: Site) -> None:
    plain = TestClient(site.app, follow_redirects=False)
    assert "council account" not in plain.get("/login").text
    assert plain.get("/login/oidc").status_code == 404


def test_a_plain_http_issuer_is_refused_unless_local() -> None:
    with pytest.raises(ValueError, match="https"):
        OidcConfig("http://idp.council.example", CLIENT_ID, SECRET)
