// Filter forms: labelled fields whose values become the page's URL, so a filtered view can
// be shared. Submitting a form navigates; the page then reads its filters back from the URL.

import { actor, get, withQuery } from "./api.js";
import { fill, h } from "./dom.js";
import { fieldMoment, utcMoment } from "./format.js";

const ACTOR_ID = /\bact_[0-9a-z]+\b/;

/** Go to an explorer URL without reloading the page. */
export function navigate(url, { replace = false } = {}) {
  if (replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  window.dispatchEvent(new Event("explore:route"));
}

function field(name, label, control, help) {
  return h(
    "div",
    { class: "field" },
    h("label", { for: `f-${name}` }, label),
    control,
    help ? h("small", { id: `f-${name}-help` }, help) : null,
  );
}

export function textField(name, label, value, { type = "text", help, ...rest } = {}) {
  const input = h("input", {
    id: `f-${name}`,
    name,
    type,
    value: value ?? "",
    "aria-describedby": help ? `f-${name}-help` : null,
    ...rest,
  });
  return field(name, label, input, help);
}

export function selectField(name, label, value, options) {
  const select = h(
    "select",
    { id: `f-${name}`, name },
    options.map(([optionValue, text]) =>
      h("option", { value: optionValue, selected: optionValue === (value ?? "") }, text),
    ),
  );
  return field(name, label, select);
}

/** A moment, read and written in UTC (the API's clock). */
export function momentField(name, label, value, help) {
  return textField(name, label, fieldMoment(value), {
    type: "datetime-local",
    step: 1,
    help,
    dataset: { kind: "utc" },
  });
}

/**
 * An actor, chosen by name: typing offers matching actors (the API's name search) and the
 * chosen "Name (act_…)" is sent as its id. A pasted id works too.
 */
export function actorField(name, label, value) {
  const listId = `f-${name}-options`;
  const input = h("input", {
    id: `f-${name}`,
    name,
    type: "text",
    list: listId,
    value: value ?? "",
    autocomplete: "off",
    placeholder: "type a name, or paste an act_… id",
    dataset: { kind: "actor" },
  });
  const options = h("datalist", { id: listId });
  let timer;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    input.setCustomValidity("");
    const text = input.value.trim();
    if (text.length < 2 || ACTOR_ID.test(text)) return;
    timer = setTimeout(async () => {
      const found = await get("/v1/actors", { q: text, limit: 10 }).catch(() => ({ data: [] }));
      fill(options, found.data.map((a) => h("option", { value: `${a.name} (${a.id})` })));
    }, 200);
  });
  if (value && ACTOR_ID.test(value)) {
    actor(value)
      .then((found) => {
        if (found && input.value === value) input.value = `${found.name} (${found.id})`;
      })
      .catch(() => {});
  }
  return field(name, label, h("span", { class: "actor-input" }, input, options));
}

/** The form's values as URL parameters: actors as ids, moments as RFC 3339 UTC. */
export function formParams(form) {
  const params = {};
  let valid = true;
  for (const element of form.elements) {
    if (!element.name || element.value.trim() === "") continue;
    let value = element.value.trim();
    if (element.dataset.kind === "actor") {
      const id = value.match(ACTOR_ID)?.[0];
      element.setCustomValidity(id ? "" : "Choose an actor from the list, or paste its act_… id.");
      if (!id) valid = false;
      value = id ?? value;
    } else if (element.dataset.kind === "utc") {
      value = utcMoment(value);
    }
    params[element.name] = value;
  }
  return valid ? params : null;
}

/** A filter form that navigates to `path` with its values on submit. */
export function filterForm(path, label, fields, { submit = "Search", extra } = {}) {
  const form = h(
    "form",
    { class: "filters", "aria-label": label, role: "search", novalidate: true },
    h("div", { class: "field-grid" }, fields),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "submit" }, submit),
      h("a", { href: path, class: "button-like secondary" }, "Clear"),
      extra,
    ),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const params = formParams(form);
    if (!params) {
      form.reportValidity();
      return;
    }
    navigate(withQuery(path, params));
  });
  return form;
}

/** The page's URL parameters as a plain object. */
export function urlParams() {
  return Object.fromEntries(new URLSearchParams(location.search));
}
