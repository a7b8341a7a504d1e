// Competing figures: for a subject and a metric, the chart of every running total over
// time (GET /v1/figures/timeline) beside who says how many now (GET /v1/figures/summary).
// Without a subject and metric: the groups there are, to choose from.

import { actor, get, withQuery } from "./api.js";
import { dataTable, errorBox, fill, h, link, markPainted, section } from "./dom.js";
import { bounds, moment, number, partialDate, period, stated, words } from "./format.js";
import { actorField, filterForm, momentField, navigate, selectField, textField, urlParams } from "./fields.js";
import { chartModel, drawChart, followWidth, loadPlotly, sketchChart } from "./chart.js";
import { figuresRequests } from "./requests.js";
import { actorName } from "./search.js";

const METRICS = ["killed", "wounded", "killed_or_wounded", "captured", "missing", "deployed", "suicides", "executed", "displaced", "detained", "other"];
const ACCUMULATIONS = ["cumulative", "incremental", "unknown"];
const ROWS_SHOWN = 20; // claimants per group at first; a button shows the rest
const SUMMARY_COLUMNS = ["Claimant", "Latest entry", "Stated", "Entries", "Claim"];
const MAX_TIMELINE_PAGES = 100; // 20,000 entries: more than a chart can show readably

function capitalized(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function filters(params) {
  const anyOf = (values) => [["", "any"], ...values.map((v) => [v, words(v)])];
  return filterForm(
    "/explore/figures",
    "Choose figures",
    [
      actorField("subject_id", "Subject (the actor counted)", params.subject_id),
      selectField("metric", "Metric", params.metric, [["", "choose…"], ...METRICS.map((m) => [m, words(m)])]),
      textField("unit", "Unit", params.unit, { placeholder: "people" }),
      selectField("accumulation", "Accumulation (table)", params.accumulation, anyOf(ACCUMULATIONS)),
      textField("period_from", "Period from (table)", params.period_from, { type: "date" }),
      textField("period_to", "Period to (table)", params.period_to, { type: "date" }),
      textField("stated_from", "Stated from", params.stated_from, { type: "date" }),
      textField("stated_to", "Stated to", params.stated_to, { type: "date" }),
      momentField("as_of", "As of (UTC)", params.as_of, "The ledger as it was at that moment."),
    ],
    { submit: "Show" },
  );
}

function groupsTable(groups) {
  if (!groups.length) return h("p", { class: "empty" }, "No figures match.");
  return dataTable({
    label: "Figure groups",
    columns: ["Subject", "Metric", "Unit", "Accumulation", "Envelope", "Figures", "Claimants", ""],
    stack: true,
    rows: groups.map((g) => [
      g.subject_id ? actorName(g.subject_id) : "—",
      words(g.metric),
      g.unit,
      words(g.accumulation),
      { class: "num", content: bounds(g.low, g.high) },
      { class: "num", content: number(g.figure_count) },
      { class: "num", content: number(g.claimant_count) },
      g.subject_id ? link(withQuery("/explore/figures", { subject_id: g.subject_id, metric: g.metric, unit: g.unit, accumulation: g.accumulation }), "Compare →") : null,
    ]),
  });
}

function entryCell(entry) {
  const when = period(entry.figure?.period ?? entry.derived?.period);
  const what = entry.derived
    ? [h("span", { class: "derived-tag" }, "◆ derived"), " killed + wounded: ", h("strong", null, bounds(entry.derived.low, entry.derived.high))]
    : [entry.figure.text ? [h("q", null, entry.figure.text), h("br")] : null, stated(entry.figure), " → ", h("strong", null, bounds(entry.figure.low, entry.figure.high))];
  return [what, when ? h("small", { class: "period" }, h("br"), "period: ", when) : null];
}

function groupSection(group) {
  const row = (entry) => {
    const sources = entry.citations.filter((c) => c.source).length;
    return {
      attrs: { dataset: { claimantId: entry.claimant_id } },
      cells: [
        { header: true, content: link(`/explore/actors/${entry.claimant_id}`, entry.claimant?.name ?? entry.claimant_id) },
        entryCell(entry),
        partialDate(entry.claim.stated_on, entry.claim.stated_on_precision) ?? "—",
        { class: "num", content: number(entry.figure_count + entry.derived_count) },
        [link(`/explore/claims/${entry.claim.id}`, "claim"), sources ? h("small", null, ` · ${sources} source${sources === 1 ? "" : "s"}`) : null],
      ],
    };
  };
  const table = dataTable({
    label: `Latest entry of each claimant, ${group.accumulation} ${group.unit}`,
    caption: "Each claimant's latest entry, the most recently stated first",
    columns: SUMMARY_COLUMNS,
    rows: group.claimants.slice(0, ROWS_SHOWN).map(row),
    stack: true,
    className: "summary",
  });
  const hidden = group.claimants.length - ROWS_SHOWN;
  const more =
    hidden > 0
      ? h("button", { type: "button", class: "secondary" }, `Show the ${number(hidden)} other claimant${hidden === 1 ? "" : "s"}`)
      : null;
  more?.addEventListener("click", () => {
    const rest = dataTable({ label: "", columns: SUMMARY_COLUMNS, rows: group.claimants.slice(ROWS_SHOWN).map(row) });
    table.querySelector("tbody").append(...rest.querySelectorAll("tbody > tr"));
    const next = table.querySelector(`tbody > tr:nth-child(${ROWS_SHOWN + 1}) a`);
    more.remove();
    next?.focus();
  });
  return h(
    "section",
    { class: "group", dataset: { accumulation: group.accumulation, unit: group.unit } },
    h("h3", null, `${words(group.accumulation)} · ${group.unit}`),
    h(
      "p",
      { class: "envelope" },
      "Envelope ",
      h("strong", null, bounds(group.low, group.high)),
      ` · ${number(group.figure_count)} figure${group.figure_count === 1 ? "" : "s"}`,
      group.derived_count ? ` · ${number(group.derived_count)} derived` : null,
      group.unspecified_count ? ` · ${number(group.unspecified_count)} without a number` : null,
      ` · ${number(group.claimant_count)} claimant${group.claimant_count === 1 ? "" : "s"}`,
    ),
    table,
    more,
  );
}

/** The chart's own group (running totals in its unit) first, then the others in order. */
function chartGroupFirst(groups, unit) {
  const first = (g) => (g.accumulation === "cumulative" && g.unit === unit ? 0 : 1);
  return [...groups].sort((a, b) => first(a) - first(b));
}

/** The chart's points as a table, for reading without the chart (drawn when opened). */
function chartTable(model) {
  const details = h("details", { class: "chart-table" }, h("summary", null, "The chart's figures as a table"));
  details.addEventListener("toggle", () => {
    if (!details.open || details.querySelector("table")) return;
    details.append(
      dataTable({
        label: "The chart's figures",
        columns: ["Stated on", "Claimant", "Entry", "Bounds", ""],
        stack: true,
        rows: model.points.map((p) => [
          p.x,
          p.claimant.name,
          p.kind === "derived" ? "derived" : "stated",
          { class: "num", content: bounds(p.low, p.high) },
          link(`/explore/claims/${p.claimId}`, "claim"),
        ]),
      }),
    );
  });
  return details;
}

async function groupsPage(view, params) {
  fill(view, h("h1", null, "Figures"), h("p", null, "Choose a subject and a metric to compare who says how many, and when."), filters(params));
  const results = h("div", { "aria-live": "polite" });
  view.append(section("Groups of figures", results));
  const page = await get("/v1/figures/summary", { subject_id: params.subject_id, metric: params.metric, accumulation: params.accumulation, as_of: params.as_of, cursor: params.cursor, limit: 50 });
  fill(results, groupsTable(page.data), page.next_cursor ? h("p", { class: "pager" }, link(withQuery("/explore/figures", { ...params, cursor: page.next_cursor }), "Next page →")) : null);
  markPainted("explore:figures-index:data");
}

export async function figuresPage(view, { stale }) {
  const params = urlParams();
  if (!params.subject_id || !params.metric) return groupsPage(view, params);
  const { unit, common, summary: summaryRequest, timeline: timelineRequest } = figuresRequests(params);
  const summary = get(...summaryRequest);
  const title = h("h1", null, `${capitalized(words(params.metric))}: `, actorName(params.subject_id));
  actor(params.subject_id).then((a) => { document.title = `${words(params.metric)} · ${a?.name ?? params.subject_id} · ClaimLedger`; }).catch(() => {});
  const chart = h("div", { id: "chart", class: "chart", role: "img", "aria-label": "Chart of the running totals over time; the same figures are listed in the table below it." });
  const chartStatus = h("p", { class: "chart-status", "aria-live": "polite" }, "Loading the timeline…");
  const undated = h("div");
  const tableArea = h("div", { "aria-busy": "true" }, h("p", null, "Loading…"));
  const chartPanel = h(
    "section",
    { class: "panel chart-panel" },
    h("h2", null, `Running totals, by the day they were stated (${unit})`),
    chart,
    chartStatus,
    h(
      "p",
      { class: "legend-note" },
      "● a stated figure, with a bar from its lower to its upper bound; a dotted bar rising to ▲ has no upper bound (“more than…”); ",
      "◆ a sum derived from killed and wounded stated apart (each claimant's latest, as in the table); ✕ on the axis: no number stated. ",
      "Only cumulative figures are running totals; period filters apply to the table.",
    ),
    undated,
  );
  fill(
    view,
    h("p", { class: "kicker" }, "Competing figures", params.as_of ? ` as of ${moment(params.as_of)}` : null),
    title,
    h("details", { class: "filters-box" }, h("summary", null, "Filters"), filters(params)),
    h("div", { class: "figures-grid" }, chartPanel, h("section", { class: "panel" }, h("h2", null, "Who says how many"), tableArea)),
  );
  followWidth(chart); // known from the first layout on, while the data is on its way
  const entries = [];
  let derived = [];
  let timelineDone = false;
  let libraryDraws = false;
  let drawnAll = false;
  const redraw = async () => {
    const done = timelineDone;
    const model = chartModel(entries, derived);
    const options = { unit, onOpenClaim: (id) => navigate(`/explore/claims/${id}`) };
    if (libraryDraws) await drawChart(chart, model, options);
    else sketchChart(chart, model, options);
    drawnAll = done;
    chartStatus.textContent = `${number(model.points.length)} mark${model.points.length === 1 ? "" : "s"}${done ? "" : " so far; loading more…"}`;
    if (done) {
      chart.dataset.complete = "true";
      fill(undated, model.undated.length ? h("p", null, `${number(model.undated.length)} figure${model.undated.length === 1 ? " has" : "s have"} no statement date and cannot be placed in time.`) : null, chartTable(model));
    }
  };
  const table = summary.then((page) => {
    const groups = page.data.filter((g) => g.metric === params.metric);
    fill(tableArea, groups.length ? chartGroupFirst(groups, unit).map(groupSection) : h("p", { class: "empty" }, "No figures match these filters."));
    tableArea.setAttribute("aria-busy", "false");
    markPainted("explore:figures:table");
    return page;
  });
  table.catch((error) => fill(tableArea, errorBox(error)));
  // The chart's derived entries are those of the running totals, whatever the table shows.
  const tableHasThem = !params.period_from && !params.period_to && [undefined, "", "cumulative"].includes(params.accumulation);
  const derivedEntries = (tableHasThem ? summary : get("/v1/figures/summary", { ...common, metric: params.metric, accumulation: "cumulative", limit: 50 }))
    .then((page) => {
      derived = page.data
        .filter((g) => g.metric === params.metric && g.accumulation === "cumulative" && g.unit === unit)
        .flatMap((g) => g.claimants.filter((c) => c.derived))
        .map((c) => ({ ...c, stated_on: c.claim.stated_on, stated_on_precision: c.claim.stated_on_precision }));
    })
    .catch(() => {});
  // The timeline's pages are asked for one after the other as they come. The chart is
  // sketched (sketch.js) from the first page as soon as it is in, with the table, and
  // again with each later page; the chart library is loaded once that sketch is on screen
  // (compiling and running it holds the main thread for a few hundred milliseconds), and
  // its interactive chart takes the sketch's place, drawn again once the last page is in.
  let firstPage;
  const firstPageIn = new Promise((resolve) => {
    firstPage = resolve;
  });
  let sketched = false;
  const timelineIn = (async () => {
    let cursor = null;
    for (let page = 0; page < MAX_TIMELINE_PAGES; page += 1) {
      const [path, query] = timelineRequest;
      const body = await get(path, cursor ? { ...query, cursor } : query);
      entries.push(...body.data);
      cursor = body.next_cursor;
      timelineDone = !cursor;
      if (page === 0) firstPage();
      else if (sketched && !libraryDraws && !stale()) await redraw();
      if (!cursor) return;
      chartStatus.textContent = `${number(entries.length)} entries so far; loading more…`;
    }
  })();
  timelineIn.catch(() => firstPage());
  const painted = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  await Promise.all([derivedEntries, firstPageIn]);
  if (stale()) return;
  await redraw();
  sketched = true;
  markPainted("explore:figures:chart", { marks: entries.length });
  await Promise.allSettled([table]);
  await painted();
  await loadPlotly();
  if (stale()) return;
  libraryDraws = true;
  await redraw();
  markPainted("explore:figures:interactive", { marks: entries.length });
  await timelineIn;
  if (stale()) return;
  if (!drawnAll) await redraw();
  markPainted("explore:figures:complete", { marks: entries.length });
}
