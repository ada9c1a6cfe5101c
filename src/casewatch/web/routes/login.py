"""Signing in and out, with throttling, a CSRF token on the sign-in form itself, and fresh sessions each time."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from casewatch.web import audit, oidc
from casewatch.web.auth import check_password, end_session, start_session, user_by_username
from casewatch.web.oidc import OidcConfig
from casewatch.web.pages import SignedIn, Store, checked_form, cookie_name, templates
from casewatch.web.security import clear_account, current_client, record_failure, refusal, tokens_match

router = APIRouter()
LOGIN_CSRF = "casewatch_login_csrf"
OIDC_ATTEMPT_FOR = 600  # seconds: as long as the store keeps the attempt's secrets


def _safe_next(target: str | None) -> str:
    """Only same-site paths: never '//host' or a full URL, so the sign-in page cannot redirect elsewhere.

    Browsers drop tabs and line breaks from URLs and read a backslash as a slash, so a tab or a backslash between
    the first two slashes would take the browser to another host: any whitespace, control character or backslash
    refuses the target.
    """
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and target.isprintable()
        and not any(c.isspace() or c == "\\" for c in target)
        and not urlsplit(target).netloc
    ):
        return target
    return "/"


def _form(request: Request, error: str = "", username: str = "", status: int = 200) -> Response:
    token = secrets.token_urlsafe(32)
    response = templates.TemplateResponse(
        request,
        "login.html",
        {
            "user": None,
            "error": error,
            "username": username,
            "csrf_token": token,
            "next": _safe_next(request.query_params.get("next")),
            "oidc": request.app.state.config.oidc is not None,
        },
        status_code=status,
    )
    secure = request.app.state.config.secure_cookies
    response.set_cookie(LOGIN_CSRF, token, httponly=True, secure=secure, samesite="strict", path="/login")
    return response


@router.get("/login")
def login_page(request: Request) -> Response:
    return _form(request)


@router.post("/login")
async def login(request: Request, engine: Store) -> Response:
    form = await request.form()
    # Argon2 is deliberately slow: verify in the thread pool so other people's pages are not held up.
    return await run_in_threadpool(_attempt, request, engine, form)


def _attempt(request: Request, engine: Engine, form: FormData) -> Response:
    typed = str(form.get("username", ""))  # recorded as typed, so an auditor sees what was tried (never the password)
    username = typed.strip()
    password = str(form.get("password", ""))
    if not tokens_match(request.cookies.get(LOGIN_CSRF), str(form.get("csrf_token", ""))):
        audit.record(engine, None, "csrf_refused", "/login", username=typed)
        return _form(request, "Your sign-in form had expired. Try again.", username, 400)
    client = current_client()
    address = client.address if client else "unknown"
    refused = refusal(engine, username, address)
    if refused is not None:
        audit.record(engine, None, "sign_in_blocked", "account", refused, username=typed)
        return _form(request, refused, username, 429)
    user_id = check_password(engine, username, password) if username and password else None
    if user_id is None:
        record_failure(engine, username, address)
        audit.record(engine, None, "sign_in_failed", "account", username=typed)
        return _form(request, "Enter a correct username and password.", username, 401)
    clear_account(engine, username)
    return _signed_in(request, engine, user_id, username, str(form.get("next", "/")), "password")


def _signed_in(request: Request, engine: Engine, user_id: int, username: str, next_path: str, how: str) -> Response:
    """Start a fresh session and go where the user was heading.

    The session id is always new (a cookie planted before sign-in is never promoted to a signed-in session), and any
    session this browser already had is ended in the store, not merely forgotten by the browser.
    """
    previous = request.cookies.get(cookie_name(request))
    if previous:
        end_session(engine, previous)
    token = start_session(engine, user_id)
    response = RedirectResponse(_safe_next(next_path), status_code=303)
    secure = request.app.state.config.secure_cookies
    response.set_cookie(cookie_name(request), token, httponly=True, secure=secure, samesite="lax", path="/")
    response.delete_cookie(LOGIN_CSRF, path="/login")
    if how != "password":
        response.delete_cookie(_attempt_cookie(request), path="/", secure=secure, httponly=True, samesite="lax")
    audit.record(engine, None, "sign_in", "account", how, username=username)
    return response


def _oidc_config(request: Request) -> OidcConfig:
    config: OidcConfig | None = request.app.state.config.oidc
    if config is None:
        raise HTTPException(404)
    return config


def _callback_uri(request: Request) -> str:
    return str(request.url_for("oidc_callback"))


def _attempt_cookie(request: Request) -> str:
    """The cookie tying a provider sign-in to the browser that started it (``__Host-`` when cookies are Secure)."""
    return "__Host-casewatch-oidc" if request.app.state.config.secure_cookies else "casewatch_oidc"


@router.get("/login/oidc")
def oidc_start(request: Request, engine: Store) -> Response:
    config = _oidc_config(request)
    next_path = _safe_next(request.query_params.get("next"))
    try:
        target, state = oidc.start(engine, config, _callback_uri(request), next_path)
    except oidc.OidcError as exc:
        return _form(request, str(exc), status=502)
    response = RedirectResponse(target, status_code=303)
    # Lax, not Strict: the provider sends the browser back with a cross-site top-level navigation.
    secure = request.app.state.config.secure_cookies
    response.set_cookie(
        _attempt_cookie(request), state, max_age=OIDC_ATTEMPT_FOR, httponly=True, secure=secure, samesite="lax"
    )
    return response


@router.get("/login/oidc/callback", name="oidc_callback")
def oidc_callback(request: Request, engine: Store, code: str = "", state: str = "") -> Response:
    config = _oidc_config(request)
    if not code or not state:
        return _form(request, "The identity provider did not sign you in. Start again.", status=400)
    # A sign-in finishes only in the browser that started it: otherwise someone could send a victim a link that
    # signs them in as the sender, and whatever the victim then records would be under the sender's name.
    if not tokens_match(request.cookies.get(_attempt_cookie(request)), state):
        audit.record(engine, None, "sign_in_failed", "identity provider", "the sign-in was started in another browser")
        return _form(request, "That sign-in link has expired. Start again.", status=400)
    try:
        outcome = oidc.finish(engine, config, _callback_uri(request), code, state)
    except oidc.OidcError as exc:
        audit.record(engine, None, "sign_in_failed", "identity provider", exc.reason)
        return _form(request, str(exc), status=400)
    user_id = user_by_username(engine, outcome.username)
    if user_id is None:
        audit.record(engine, None, "sign_in_failed", "identity provider", "no such account", username=outcome.username)
        return _form(request, "Your council account has no casewatch access. Ask an administrator.", status=403)
    return _signed_in(request, engine, user_id, outcome.username, outcome.next_path, "identity provider")


@router.get("/session/keepalive")
def keepalive(_user: SignedIn) -> Response:
    """Called by the sign-out warning's "Stay signed in" button: being signed in is what resets the idle clock."""
    return Response(status_code=204)


@router.post("/logout")
async def logout(request: Request, user: SignedIn, engine: Store) -> Response:
    await checked_form(request, user)
    end_session(engine, request.cookies.get(cookie_name(request), ""))
    audit.record(engine, user, "sign_out", "account")
    response = RedirectResponse("/login", status_code=303)
    secure = request.app.state.config.secure_cookies
    response.delete_cookie(cookie_name(request), path="/", secure=secure, httponly=True, samesite="lax")
    return response
