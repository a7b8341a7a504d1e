// Building the page. Every piece of text from the API goes in as a text node or an
// attribute value, never as HTML: nothing here parses markup.

/**
 * An element: `h("a", { href: "/x", class: "c" }, "text", child)`. `on<event>` props add
 * listeners; `dataset` sets data-* attributes; null, undefined and false are left out.
 */
export function h(tag, props, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") element.className = value;
    else if (name === "dataset") Object.assign(element.dataset, value);
    else if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

/** Add children (nodes, text, arrays of them; null and false are skipped) to `element`. */
export function append(element, ...children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** Replace everything inside `element`. */
export function fill(element, ...children) {
  element.replaceChildren();
  return append(element, children);
}

/** A link inside the explorer. */
export function link(path, ...children) {
  return h("a", { href: path }, ...children);
}

/** `url` when it is an http(s) address, else null: a stored URL never becomes a script. */
export function safeUrl(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
  } catch {
    return null;
  }
}

/** A link to a page elsewhere (a source), or its text when the address is not http(s). */
export function outLink(url, text) {
  const safe = safeUrl(url);
  if (!safe) return h("span", null, text ?? url);
  return h(
    "a",
    { href: safe, rel: "noopener noreferrer external", target: "_blank" },
    text ?? url,
    h("span", { class: "visually-hidden" }, " (opens another site in a new tab)"),
  );
}

/** A section with a heading. */
export function section(title, ...children) {
  return h("section", { class: "panel" }, h("h2", null, title), ...children);
}

/** A definition list from [term, description] pairs; pairs without a description are skipped. */
export function facts(pairs) {
  const list = h("dl", { class: "facts" });
  for (const [term, description] of pairs) {
    if (description === null || description === undefined || description === "") continue;
    if (Array.isArray(description) && description.length === 0) continue;
    list.append(h("dt", null, term), h("dd", null, description));
  }
  return list;
}

/** Items joined by a separator: `joined([a, b], ", ")`. */
export function joined(items, separator = ", ") {
  return items.flatMap((item, index) => (index ? [separator, item] : [item]));
}

/** A short message to screen readers (the page's live region). */
export function announce(text) {
  const status = document.getElementById("status");
  if (status) status.textContent = text;
}

/** An error box: the problem's title, detail and field errors. */
export function errorBox(error) {
  const problem = error?.problem ?? {};
  const fields = problem.errors ?? [];
  return h(
    "div",
    { class: "error", role: "alert" },
    h("p", null, h("strong", null, problem.title || "Something went wrong"), " — ", error.message),
    fields.length
      ? h("ul", null, fields.map((e) => h("li", null, h("code", null, e.field), ": ", e.message)))
      : null,
  );
}

/**
 * Mark, in the page's performance timeline, the moment the browser has painted what was
 * just drawn: the next frame is painted right after its animation frame callbacks, and a
 * task queued from one of them runs once that paint is done.
 */
export function markPainted(name, detail) {
  requestAnimationFrame(() => setTimeout(() => performance.mark(name, { detail }), 0));
}

function cellParts(cell) {
  const isSpec = cell !== null && typeof cell === "object" && !(cell instanceof Node) && !Array.isArray(cell);
  return isSpec ? cell : { content: cell };
}

/**
 * A table in a region that scrolls sideways when it is wider than the screen. Each row is
 * an array of cells, or `{ attrs, cells }`; a cell is its content, or `{ content, header,
 * class }` (`header`: the row's header cell). With `stack`, a phone shows each row as a
 * card whose cells are labelled with their column.
 */
export function dataTable({ label, columns, rows, caption, stack = false, className }) {
  const body = rows.map((row) => {
    const { attrs, cells } = Array.isArray(row) ? { attrs: null, cells: row } : row;
    return h(
      "tr",
      attrs,
      cells.map((cell, index) => {
        const { content, header, class: cellClass } = cellParts(cell);
        const props = { class: cellClass, scope: header ? "row" : null, "data-label": columns[index] || null };
        return h(header ? "th" : "td", props, content);
      }),
    );
  });
  const table = h(
    "table",
    { class: [className, stack ? "stack" : null].filter(Boolean).join(" ") || null },
    caption ? h("caption", { class: "visually-hidden" }, caption) : null,
    h("thead", null, h("tr", null, columns.map((title) => h("th", { scope: "col" }, title)))),
    h("tbody", null, body),
  );
  return h("div", { class: "table-scroll", tabindex: 0, role: "region", "aria-label": label }, table);
}
