"""How the app runs (fixed at start) and the settings an administrator can change while it runs."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, delete, insert, select

from casewatch.web import store
from casewatch.web.oidc import OidcConfig
from casewatch.web.security import Network

MARKING_LONGEST = 60


@dataclass(frozen=True)
class AppConfig:
    """Start-up options: ``secure_cookies`` may be turned off only for plain-http local testing; ``oidc`` turns on
    sign-in through the council's identity provider; ``trusted_proxies`` are the reverse proxies whose
    ``X-Forwarded-For`` is believed (none by default, so a client cannot choose the address the app records);
    ``protective_marking`` labels every page and download."""

    secure_cookies: bool = True
    oidc: OidcConfig | None = None
    trusted_proxies: tuple[Network, ...] = ()
    #: The council's protective marking (e.g. "OFFICIAL-SENSITIVE"), shown on every page and printed, and written at
    #: the top of every download, so the marking travels with the data wherever a copy goes. Empty: none.
    protective_marking: str = ""

    def __post_init__(self) -> None:
        marking = self.protective_marking
        if len(marking) > MARKING_LONGEST or not marking.isprintable() or marking != marking.strip():
            raise ValueError(
                f"the protective marking must be at most {MARKING_LONGEST} printable characters on one line, "
                "without leading or trailing spaces"
            )


#: Settings an administrator edits on the settings page: name -> (label, default, minimum, maximum).
EDITABLE: dict[str, tuple[str, int, int, int]] = {
    "caseload_limit": ("Caseload limit (children per full-time worker)", 20, 1, 200),
    "idle_timeout_minutes": ("Sign out after this many idle minutes", 30, 5, 480),
    "session_hours": ("Sign out this many hours after signing in, however busy", 10, 1, 24),
    "due_soon_days": ("'Due in the next' window on the caseload page, in days", 14, 1, 90),
}


def get_int(engine: Engine, key: str) -> int:
    with engine.connect() as conn:
        value = conn.execute(select(store.settings.c.value).where(store.settings.c.key == key)).scalar()
    return int(value) if value is not None else EDITABLE[key][1]


def set_int(engine: Engine, key: str, value: int) -> None:
    label, _default, low, high = EDITABLE[key]
    if not low <= value <= high:
        raise ValueError(f"{label} must be between {low} and {high}")
    with engine.begin() as conn:
        conn.execute(delete(store.settings).where(store.settings.c.key == key))
        conn.execute(insert(store.settings).values(key=key, value=str(value)))


def all_values(engine: Engine) -> dict[str, int]:
    return {key: get_int(engine, key) for key in EDITABLE}
