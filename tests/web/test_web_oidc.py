"""Sign-in through an identity provider (OpenID Connect, code flow with PKCE), against a small fake provider.

The fake provider runs inside the test as an httpx transport: it publishes its metadata, issues a code for the
user it is told signed in, and at its token endpoint checks the client secret, the redirect URI and the PKCE
verifier against the challenge before returning an ID token.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from web_support import Site

from casewatch.web import store
from casewatch.web.app import create_app
from casewatch.web.oidc import OidcConfig
from casewatch.web.settings import AppConfig

ISSUER = "http://localhost:9999/realm"
CLIENT_ID = "casewatch"
SECRET = "fake-provider-secret"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class FakeProvider:
    def __init__(self) -> None:
        self.codes: dict[str, dict[str, Any]] = {}
        self.tamper: dict[str, Any] = {}

    def sign_in(self, authorize_url: str, username: str) -> tuple[str, str]:
        """What the provider does when the user signs in there: a code for the app's callback, and the state."""
        query = {k: v[0] for k, v in parse_qs(urlparse(authorize_url).query).items()}
        assert query["response_type"] == "code" and query["client_id"] == CLIENT_ID
        assert query["code_challenge_method"] == "S256" and "openid" in query["scope"].split()
        code = secrets.token_urlsafe(16)
        self.codes[code] = {**query, "username": username}
        return code, query["state"]

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/realm/.well-known/openid-configuration":
            return httpx.Response(
                200,
                json={
                    "issuer": ISSUER,
                    "authorization_endpoint": f"{ISSUER}/authorize",
                    "token_endpoint": f"{ISSUER}/token",
                },
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
            claims = {
                "iss": ISSUER,
                "aud": CLIENT_ID,
                "sub": secrets.token_hex(8),
                "exp": int(time.time()) + 300,
                "nonce": grant["nonce"],
                "preferred_username": grant["username"],
                **self.tamper,
            }
            id_token = ".".join(
                [_b64(json.dumps({"alg": "RS256"}).encode()), _b64(json.dumps(claims).encode()), _b64(b"sig")]
            )
            return httpx.Response(200, json={"access_token": "at", "token_type": "Bearer", "id_token": id_token})
        return httpx.Response(404)


@pytest.fixture
def provider() -> FakeProvider:
    return FakeProvider()


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
    return location


def test_a_manager_signs_in_through_the_identity_provider(
    client: TestClient, provider: FakeProvider, site: Site
) -> None:
    code, state = provider.sign_in(_go_to_provider(client), "manager")
    response = client.get(f"/login/oidc/callback?code={code}&state={state}")
    assert response.status_code == 303 and response.headers["location"] == "/team"
    assert client.get("/team").status_code == 200
    a = store.audit_log
    with site.engine.connect() as conn:
        detail = conn.execute(
            select(a.c.detail).where(a.c.action == "sign_in", a.c.username == "manager").order_by(a.c.id.desc())
        ).scalar()
    assert detail == "identity provider"


def test_a_state_works_once(client: TestClient, provider: FakeProvider) -> None:
    code, state = provider.sign_in(_go_to_provider(client), "qa")
    assert client.get(f"/login/oidc/callback?code={code}&state={state}").status_code == 303
    replay = client.get(f"/login/oidc/callback?code={code}&state={state}")
    assert replay.status_code == 400 and "expired" in replay.text


def test_a_forged_state_is_refused(client: TestClient, provider: FakeProvider) -> None:
    code, _state = provider.sign_in(_go_to_provider(client), "qa")
    assert client.get(f"/login/oidc/callback?code={code}&state=forged").status_code == 400
    assert client.get("/compliance").status_code == 303


@pytest.mark.parametrize(
    "tamper", [{"aud": "another-app"}, {"iss": "http://localhost:9999/evil"}, {"exp": 1}, {"nonce": "replayed"}]
)
def test_an_id_token_for_someone_else_is_refused(
    client: TestClient, provider: FakeProvider, tamper: dict[str, Any]
) -> None:
    provider.tamper = tamper
    code, state = provider.sign_in(_go_to_provider(client), "qa")
    response = client.get(f"/login/oidc/callback?code={code}&state={state}")
    assert response.status_code == 400 and "could not be trusted" in response.text
    assert client.get("/compliance").status_code == 303


def test_a_wrong_pkce_verifier_is_refused_by_the_provider(client: TestClient, provider: FakeProvider) -> None:
    code, state = provider.sign_in(_go_to_provider(client), "qa")
    provider.codes[code]["code_challenge"] = _b64(hashlib.sha256(b"someone else's verifier").digest())
    response = client.get(f"/login/oidc/callback?code={code}&state={state}")
    assert response.status_code == 400 and "did not accept" in response.text


def test_a_person_without_a_casewatch_account_is_refused(client: TestClient, provider: FakeProvider) -> None:
    code, state = provider.sign_in(_go_to_provider(client), "stranger")
    response = client.get(f"/login/oidc/callback?code={code}&state={state}")
    assert response.status_code == 403 and "no casewatch access" in response.text


def test_without_a_provider_the_routes_do_not_exist(site: Site) -> None:
    plain = TestClient(site.app, follow_redirects=False)
    assert "council account" not in plain.get("/login").text
    assert plain.get("/login/oidc").status_code == 404


def test_a_plain_http_issuer_is_refused_unless_local() -> None:
    with pytest.raises(ValueError, match="https"):
        OidcConfig("http://idp.council.example", CLIENT_ID, SECRET)
