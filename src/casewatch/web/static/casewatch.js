import { initAll } from "/static/govuk/govuk-frontend.min.js";
initAll();

// The sign-out warning: two minutes before the idle timeout, offer to stay signed in (WCAG 2.2.1 Timing Adjustable).
const warning = document.getElementById("timeout-warning");
const idleMinutes = Number(document.body.dataset.idleMinutes || 0);
if (warning && idleMinutes > 0) {
  const stay = document.getElementById("timeout-stay");
  const idle = idleMinutes * 60 * 1000;
  const notice = Math.min(2 * 60 * 1000, idle / 2);
  let warnTimer, signOutTimer, returnFocus;
  const schedule = () => {
    clearTimeout(warnTimer);
    clearTimeout(signOutTimer);
    warnTimer = setTimeout(show, idle - notice);
    signOutTimer = setTimeout(() => window.location.assign("/login"), idle);
  };
  const show = () => {
    returnFocus = document.activeElement;
    warning.hidden = false;
    stay.focus();
  };
  stay.addEventListener("click", async () => {
    const response = await fetch("/session/keepalive", { credentials: "same-origin", cache: "no-store" });
    if (!response.ok || response.redirected) {
      window.location.assign("/login");
      return;
    }
    warning.hidden = true;
    if (returnFocus && returnFocus.focus) returnFocus.focus();
    schedule();
  });
  warning.addEventListener("keydown", (event) => {
    if (event.key === "Tab") {  // the only control in the dialog keeps the focus while it is open
      event.preventDefault();
      stay.focus();
    }
  });
  schedule();
}
