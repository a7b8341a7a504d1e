// A resource's history: every version, the difference between any two of them (the API's
// JSON Patch, shown field by field with the values before and after), and "as of" links.

import { allPages, get, withQuery } from "./api.js";
import { dataTable, errorBox, fill, h, link, markPainted } from "./dom.js";
import { moment, utcMoment } from "./format.js";
import { navigate } from "./fields.js";

// Every version changes these two; the table says which version and when instead.
const BOOKKEEPING = new Set(["/version", "/updated_at"]);
const MAX_WORD_DIFF = 400;

function pointerParts(pointer) {
  return pointer.split("/").slice(1).map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"));
}

/** `/citations/0/quote` as the API names fields in errors: `citations[0].quote`. */
export function fieldName(pointer) {
  return pointerParts(pointer).reduce(
    (name, part) => (/^\d+$/.test(part) ? `${name}[${part}]` : name ? `${name}.${part}` : part),
    "",
  );
}

function valueAt(doc, pointer) {
  let value = doc;
  for (const part of pointerParts(pointer)) {
    if (value === null || typeof value !== "object" || !(part in value)) return undefined;
    value = value[part];
  }
  return value;
}

function shown(value) {
  if (value === undefined) return h("span", { class: "absent" }, "(none)");
  if (value === null) return h("span", { class: "absent" }, "null");
  if (typeof value === "string") return value;
  return h("code", { class: "json" }, JSON.stringify(value, null, 1));
}

/**
 * Two texts word by word: what was removed struck through, what was added underlined; null
 * when they are too long to compare so, or share no word.
 */
function wordDiff(before, after) {
  const a = before.split(/(\s+)/);
  const b = after.split(/(\s+)/);
  if (a.length > MAX_WORD_DIFF || b.length > MAX_WORD_DIFF) return null;
  const lengths = Array.from({ length: a.length + 1 }, () => new Uint16Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) {
      lengths[i][j] = a[i] === b[j] ? lengths[i + 1][j + 1] + 1 : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
    }
  }
  if (lengths[0][0] === 0) return null; // nothing in common: before and after say it all
  const runs = []; // [kind, text]: adjacent tokens of one kind make one run
  const add = (kind, text) => {
    if (runs.length && runs.at(-1)[0] === kind) runs.at(-1)[1] += text;
    else runs.push([kind, text]);
  };
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      add("same", a[i]);
      i += 1;
      j += 1;
    } else if (i < a.length && (j === b.length || lengths[i + 1][j] >= lengths[i][j + 1])) {
      add("del", a[i]);
      i += 1;
    } else {
      add("ins", b[j]);
      j += 1;
    }
  }
  return runs.map(([kind, text]) => (kind === "same" ? text : h(kind, null, text)));
}

function diffTable(operations, before) {
  const rows = operations
    .filter((op) => !BOOKKEEPING.has(op.path))
    .map((op) => {
      const old = op.op === "add" ? undefined : valueAt(before, op.path);
      const now = op.op === "remove" ? undefined : op.value;
      const words = typeof old === "string" && typeof now === "string" ? wordDiff(old, now) : null;
      return {
        attrs: { dataset: { op: op.op, path: op.path } },
        cells: [
          { header: true, content: h("code", null, fieldName(op.path) || "(whole)") },
          { class: "before", content: shown(old) },
          { class: "after", content: words ? h("span", { class: "word-diff" }, words) : shown(now) },
        ],
      };
    });
  if (!rows.length) return h("p", { class: "empty" }, "No field differs between these versions.");
  return dataTable({ label: "Differences", columns: ["Field", "Before", "After"], rows, stack: true, className: "diff" });
}

async function showDiff(container, id, from, to) {
  const [operations, before] = await Promise.all([
    get(`/v1/claims/${id}/versions/${to}/diff`, { against: from }),
    from > 0 ? get(`/v1/claims/${id}/versions/${from}`).then((v) => v.data) : Promise.resolve({}),
  ]);
  fill(
    container,
    h("h3", { id: "diff-title" }, `Version ${from || "(none)"} → version ${to}`),
    diffTable(operations, before),
  );
  markPainted("explore:diff:data", { from, to });
}

function versionSelect(name, label, versions, selected) {
  return h(
    "div",
    { class: "field" },
    h("label", { for: `f-${name}` }, label),
    h(
      "select",
      { id: `f-${name}`, name },
      versions.map((v) => h("option", { value: v.version, selected: v.version === selected }, `${v.version} · ${v.action} ${moment(v.recorded_at)}`)),
    ),
  );
}

export function historySection(id, { asOf, diff, version }) {
  const list = h("div", { "aria-busy": "true" }, h("p", null, "Loading the history…"));
  const compare = h("div", { class: "compare" });
  const diffArea = h("div", { class: "diff-area", "aria-live": "polite" });
  const element = h("section", { class: "panel", id: "history" }, h("h2", null, "History"), list, compare, diffArea);
  const loaded = (async () => {
    const versions = [];
    await allPages(`/v1/claims/${id}/versions`, {}, (items) => versions.push(...items), { maxPages: 20 });
    const rows = versions.map((v) => ({
      attrs: { "aria-current": asOf && v.version === version ? "true" : null },
      cells: [
        { class: "num", content: String(v.version) },
        v.action,
        h("time", { datetime: v.recorded_at }, moment(v.recorded_at)),
        v.change_note ?? "",
        link(withQuery(`/explore/claims/${id}`, { as_of: v.recorded_at }), `View version ${v.version}`),
      ],
    }));
    fill(list, dataTable({ label: "Versions", columns: ["Version", "Change", "Recorded", "Note", ""], rows, stack: true }));
    list.setAttribute("aria-busy", "false");
    const latest = versions.at(-1)?.version ?? version;
    const [from, to] = (diff ?? "").split("-").map(Number);
    const wanted = Number.isInteger(from) && Number.isInteger(to) && diff;
    const form = h(
      "form",
      { class: "compare-form", "aria-label": "Compare two versions" },
      versionSelect("from", "Compare version", versions, wanted ? from : Math.max(1, latest - 1)),
      versionSelect("to", "with version", versions, wanted ? to : latest),
      h("div", { class: "actions" }, h("button", { type: "submit" }, "Compare")),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const params = { as_of: asOf, diff: `${form.elements.from.value}-${form.elements.to.value}` };
      navigate(`${withQuery(`/explore/claims/${id}`, params)}#diff-title`);
    });
    const asOfForm = h(
      "form",
      { class: "as-of-form", "aria-label": "View as of a moment" },
      h("div", { class: "field" }, h("label", { for: "f-view-as-of" }, "View the claim as of (UTC)"), h("input", { id: "f-view-as-of", name: "as_of", type: "datetime-local", step: 1, required: true })),
      h("div", { class: "actions" }, h("button", { type: "submit" }, "View")),
    );
    asOfForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const value = utcMoment(asOfForm.elements.as_of.value);
      if (value) navigate(withQuery(`/explore/claims/${id}`, { as_of: value }));
    });
    fill(compare, versions.length > 1 ? form : h("p", { class: "empty" }, "Only one version so far."), asOfForm);
    if (wanted) {
      await showDiff(diffArea, id, from, to).catch((error) => fill(diffArea, errorBox(error)));
    }
  })().catch((error) => fill(list, errorBox(error)));
  return { element, loaded };
}
