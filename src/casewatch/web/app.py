"""The application factory: one FastAPI app over one store, with templates, static files and security middleware."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from casewatch.web import audit, catalogue, queries
from casewatch.web.links import link
from casewatch.web.pages import NotSignedIn, templates
from casewatch.web.routes import admin, login, pages, standards
from casewatch.web.security import SecurityHeaders
from casewatch.web.settings import AppConfig

STATIC = Path(__file__).parent / "static"
#: Answers that refuse a signed-in user something (a page outside their role; something outside their scope).
REFUSALS = (403, 404)


def create_app(engine: Engine, config: AppConfig | None = None) -> FastAPI:
    """The web app over ``engine``'s store (which ``casewatch serve`` has loaded)."""
    app = FastAPI(title="casewatch", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.engine = engine
    app.state.config = config or AppConfig()
    info = queries.load_info(engine)
    if info is not None:
        catalogue.pack(info.pack)  # load the evaluated pack now, not on the first page view
    app.add_middleware(
        SecurityHeaders, https=app.state.config.secure_cookies, trusted_proxies=app.state.config.trusted_proxies
    )
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (login, pages, standards, admin):
        app.include_router(module.router)

    @app.exception_handler(NotSignedIn)
    async def to_sign_in(request: Request, _exc: NotSignedIn) -> Response:
        path = request.url.path
        target = "/login" if path in ("/", "/login") else link("/login", next=path)
        return RedirectResponse(target, status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def error_page(request: Request, exc: StarletteHTTPException) -> Response:
        user = getattr(request.state, "user", None)
        if exc.status_code in REFUSALS and user is not None:
            # A 404 is recorded like a 403 and the same for an unknown thing as for one outside the user's scope
            # (route template and status only), so the log says someone looked, never whether the thing exists.
            target = audit.route_of(request.scope)
            await run_in_threadpool(audit.record, engine, user, "refused", target, str(exc.status_code))
        titles = {403: "You do not have access to this page", 404: "Page not found", 429: "Too many attempts"}
        title = titles.get(exc.status_code, "Sorry, there is a problem with the service")
        return templates.TemplateResponse(
            request,
            "error.html",
            {"title": title, "message": exc.detail if exc.status_code in (400, 403, 429) else "", "user": None},
            status_code=exc.status_code,
        )

    @app.exception_handler(RequestValidationError)
    async def malformed(request: Request, _exc: RequestValidationError) -> Response:
        # FastAPI's default answer is JSON echoing the input; a malformed address is simply a page that isn't there.
        return await error_page(request, StarletteHTTPException(404))

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return RedirectResponse("/static/govuk/assets/images/favicon.ico", status_code=301)

    @app.get("/healthz", include_in_schema=False, response_class=HTMLResponse)
    async def health() -> str:
        return "ok"

    return app
