// The explorer's entry point: which page a URL is, signing in and out, and moving between
// pages without reloading (links stay real links: they open in a new tab, and every page
// can be reloaded or shared by its URL).

import { ApiError, get, session } from "./api.js";
import { actorPage, actorsPage } from "./actor.js";
import { prefetchPlotly } from "./chart.js";
import { claimPage } from "./claim.js";
import { errorBox, fill, h } from "./dom.js";
import { navigate } from "./fields.js";
import { figuresPage } from "./figures.js";
import { PAGES } from "./requests.js";
import { searchPage } from "./search.js";

const ROUTES = [
  [PAGES.search, "claims", searchPage],
  [PAGES.claim, "claims", claimPage],
  [PAGES.actors, "actors", actorsPage],
  [PAGES.actor, "actors", actorPage],
  [PAGES.figures, "figures", figuresPage],
];

const main = document.getElementById("main");
const signOutButton = document.getElementById("sign-out");
let rendering = 0;

function notFound() {
  return [
    h("h1", null, "No such page"),
    h("p", null, "The explorer has no page at this address. ", h("a", { href: "/explore" }, "Search claims"), "."),
  ];
}

function signInForm(message) {
  const input = h("input", {
    id: "api-key",
    name: "key",
    type: "password",
    autocomplete: "off",
    required: true,
    spellcheck: "false",
    "aria-describedby": "api-key-help",
  });
  const feedback = h("div", { "aria-live": "assertive" }, message ? h("p", { class: "error", role: "alert" }, message) : null);
  const form = h(
    "form",
    { class: "sign-in", "aria-labelledby": "sign-in-title" },
    h("h1", { id: "sign-in-title" }, "Sign in"),
    h("p", null, "The explorer reads the ledger through the API with your key. A key with the read scope is enough."),
    h("div", { class: "field" }, h("label", { for: "api-key" }, "API key"), input),
    h(
      "small",
      { id: "api-key-help" },
      "Kept in this browser tab only (session storage), sent only to this server's API, and forgotten when you sign out or close the tab.",
    ),
    feedback,
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Sign in")),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const key = input.value.trim();
    if (!key) return;
    try {
      await get("/v1/actors", { limit: 1 }, key);
    } catch (error) {
      const text =
        error instanceof ApiError && error.status === 401
          ? "This key is not valid, or it has been revoked."
          : error instanceof ApiError && error.status === 403
            ? "This key may not read the ledger (it lacks the read scope)."
            : `The key could not be checked: ${error.message}`;
      fill(feedback, h("p", { class: "error", role: "alert" }, text));
      input.focus();
      return;
    }
    session.signIn(key);
    render();
    prefetchPlotly();
  });
  return form;
}

function markSection(name) {
  for (const link of document.querySelectorAll("nav [data-section]")) {
    if (link.dataset.section === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

async function render({ focus = false, message } = {}) {
  const run = ++rendering;
  const path = location.pathname;
  signOutButton.hidden = !session.key;
  if (!session.key) {
    markSection(null);
    document.title = "Sign in · ClaimLedger explorer";
    fill(main, signInForm(message));
    document.getElementById("api-key").focus();
    return;
  }
  const route = ROUTES.find(([pattern]) => pattern.test(path));
  markSection(route?.[1] ?? null);
  if (!route) {
    document.title = "Not found · ClaimLedger explorer";
    fill(main, notFound());
    return;
  }
  const [pattern, , page] = route;
  const view = h("div", { class: "page" }, h("p", { class: "loading" }, "Loading…"));
  fill(main, view);
  try {
    await page(view, { id: path.match(pattern)[1], stale: () => run !== rendering });
  } catch (error) {
    if (run !== rendering) return;
    if (error instanceof ApiError && error.status === 401) return; // the sign-in form is shown
    view.append(errorBox(error));
  }
  if (focus && run === rendering) {
    // The part the address names (#diff-title after a comparison), else the page's heading.
    const named = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    const target = named ?? main.querySelector("h1") ?? main;
    target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
    if (named) named.scrollIntoView();
    else window.scrollTo(0, 0);
  }
}

// Links inside the explorer change the page in place; the browser handles the rest.
document.addEventListener("click", (event) => {
  const anchor = event.target.closest("a[href]");
  if (!anchor || event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  if (anchor.target || anchor.hasAttribute("download")) return;
  if (anchor.classList.contains("skip-link")) {
    event.preventDefault();
    main.focus();
    return;
  }
  const url = new URL(anchor.href, location.href);
  if (url.origin !== location.origin || !url.pathname.startsWith("/explore")) return;
  if (url.pathname === location.pathname && url.search === location.search && url.hash) return;
  event.preventDefault();
  navigate(url.pathname + url.search + url.hash);
});

window.addEventListener("popstate", () => render({ focus: true }));
window.addEventListener("explore:route", () => render({ focus: true }));
window.addEventListener("explore:signed-out", () =>
  render({ message: "Your key was not accepted any more; please sign in again." }),
);
signOutButton.addEventListener("click", () => {
  session.signOut();
  render({ message: null });
});

render();
prefetchPlotly();
