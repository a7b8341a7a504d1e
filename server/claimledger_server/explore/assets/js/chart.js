// The competing-figures chart: who said how many, when. One mark per figure at the day its
// claim was stated, a bar from its lower to its upper bound, an open upper end drawn as a
// dotted bar rising to the top with an arrowhead, a colour per claimant, and the sums
// derived from killed and wounded given apart drawn as diamonds.
//
// Drawn with plotly.js (its basic bundle, served by this server). The SDK's
// `client.figures.timeline(...).plot()` (sdk/claimledger/charts.py) builds the same traces
// with the `plotly` Python package, which embeds the same plotly.js: both follow the rules
// of docs/design.md ("The chart of competing figures"), and tests/explore/test_chart_parity.py
// checks that they draw the same chart. Until plotly.js has loaded, sketch.js draws the same
// traces as plain SVG (tests/explore/test_chart_sketch.py checks it draws the same marks).

import { bounds, partialDate, stated } from "./format.js";
import { drawSketch } from "./sketch.js";

/** Okabe–Ito's colour-blind-safe palette, then a few more distinct ones. */
export const PALETTE = [
  "#0072B2",
  "#D55E00",
  "#009E73",
  "#CC79A7",
  "#E69F00",
  "#56B4E9",
  "#8C510A",
  "#7F3C8D",
  "#1B7837",
  "#B2182B",
  "#4D4D4D",
];
const OTHERS_COLOUR = "#9A9A9A";

let plotly = null;
const plotlyUrl = () => `${document.documentElement.dataset.static}/vendor/plotly-basic.min.js`;

/** Whether the chart library was asked for already, or the page will ask for it (its chart). */
function plotlyAsked() {
  return plotly !== null || document.querySelector("[data-plotly], #chart") !== null;
}

/** Load and run the chart library, once (a prefetched copy comes from the cache). */
export function loadPlotly() {
  if (!plotly) {
    plotly = new Promise((resolve, reject) => {
      if (window.Plotly) return resolve(window.Plotly);
      const script = document.createElement("script");
      script.src = plotlyUrl();
      script.onload = () => resolve(window.Plotly);
      script.onerror = () => reject(new Error("The chart library could not be loaded."));
      document.head.append(script);
    });
  }
  return plotly;
}

/**
 * Fetch the chart library into the browser's cache while idle, so that a figures page
 * opened next need not wait for it (kept for a year; its address changes with each
 * deployment). Not on a page with a chart: it loads the library once its table is on
 * screen, and a prefetch beside that (or before, while the page waits for the API)
 * downloads it twice or holds up the table.
 */
export function prefetchPlotly() {
  (window.requestIdleCallback ?? setTimeout)(() => {
    if (plotlyAsked()) return;
    const link = document.createElement("link");
    Object.assign(link, { rel: "prefetch", as: "script", href: plotlyUrl() });
    link.dataset.plotly = "prefetch";
    document.head.append(link);
  });
}

/** Text for Plotly's hover labels, which read a few HTML-like tags: data stays text. */
function plain(text) {
  return String(text ?? "").replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

function byText(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Where a mark sits: the stated amount, kept within the bounds; mid-bounds for "several". */
function markValue(amount, low, high) {
  if (low === null && high === null) return 0;
  let value = amount ?? (high === null ? low : (low + high) / 2);
  if (low !== null && value < low) value = low;
  if (high !== null && value > high) value = high;
  return value;
}

/**
 * What the chart shows, from the timeline's entries and the summary's derived entries:
 * the claimants (those with the most entries get their own colour), the points, and the
 * entries without a date (which cannot be placed on the time axis).
 */
export function chartModel(entries, derived = []) {
  const counts = new Map();
  for (const entry of [...entries, ...derived]) {
    const id = entry.claimant_id;
    const known = counts.get(id) ?? { id, name: entry.claimant?.name ?? id, count: 0 };
    known.count += 1;
    counts.set(id, known);
  }
  // Most entries first; ties by name, then id, compared character by character (not by
  // the reader's locale), so that the SDK's `.plot()` gives every claimant the same colour.
  const ranked = [...counts.values()].sort((a, b) => b.count - a.count || byText(a.name, b.name) || byText(a.id, b.id));
  const coloured = ranked.length > PALETTE.length ? PALETTE.length - 1 : ranked.length;
  const claimants = ranked.map((c, index) => ({ ...c, colour: index < coloured ? PALETTE[index] : OTHERS_COLOUR, own: index < coloured }));
  const byId = new Map(claimants.map((c) => [c.id, c]));
  const point = (entry, kind, figure, low, high, amount) => ({
    kind,
    x: entry.stated_on,
    low,
    high,
    y: markValue(amount, low, high),
    claimant: byId.get(entry.claimant_id),
    figureId: figure?.id ?? null,
    derivedFrom: kind === "derived" ? entry.derived.derived_from : null,
    claimId: entry.claim.id,
    hover: [
      `<b>${plain(byId.get(entry.claimant_id).name)}</b>, ${plain(partialDate(entry.stated_on, entry.stated_on_precision ?? entry.claim.stated_on_precision))}`,
      kind === "derived" ? "derived: killed + wounded" : figure.text ? `“${plain(figure.text)}”` : plain(stated(figure)),
      `bounds: ${plain(bounds(low, high))}`,
      plain(entry.claim.text.length > 90 ? `${entry.claim.text.slice(0, 89)}…` : entry.claim.text),
    ].join("<br>"),
  });
  const points = [];
  const undated = [];
  for (const entry of entries) {
    const f = entry.figure;
    if (!entry.stated_on) undated.push(entry);
    else points.push(point(entry, "stated", f, f.low, f.high, f.amount));
  }
  for (const entry of derived) {
    if (entry.stated_on) points.push(point(entry, "derived", null, entry.derived.low, entry.derived.high, null));
  }
  const finite = points.flatMap((p) => [p.low, p.high, p.y]).filter((v) => v !== null && Number.isFinite(v));
  const top = Math.max(10, ...finite) * 1.12;
  return { claimants, points, undated, top };
}

/** The Plotly traces of a chart model. */
export function chartTraces(model) {
  const { points, top } = model;
  const withBounds = points.filter((p) => p.low !== null);
  const closed = withBounds.filter((p) => p.high !== null);
  const open = withBounds.filter((p) => p.high === null);
  const bar = (items, kind, extra) => ({
    type: "bar",
    x: items.map((p) => p.x),
    base: items.map((p) => p.low),
    y: items.map((p) => (kind === "open" ? top - p.low : Math.max(p.high - p.low, top / 400))),
    marker: { color: items.map((p) => p.claimant.colour), opacity: 0.45, ...extra },
    hoverinfo: "skip",
    showlegend: false,
    meta: { kind },
  });
  const traces = [
    bar(closed, "bounds", { line: { width: 0 } }),
    bar(open, "open", { opacity: 0.25, line: { width: 0 }, pattern: { shape: "-", fillmode: "overlay", size: 6, solidity: 0.45, fgcolor: "#ffffff", bgcolor: "rgba(0,0,0,0)" } }),
  ];
  // One trace per claimant with a colour of its own, then one for the rest: its legend
  // entry names the claimant. Stated figures first, so that the legend shows a circle.
  const order = (p) => (p.kind === "derived" ? 1 : p.low === null ? 2 : 0);
  const sorted = [...points].sort((a, b) => order(a) - order(b));
  for (const claimant of model.claimants.filter((c) => c.own)) {
    traces.push(marks(sorted.filter((p) => p.claimant === claimant), claimant.name, claimant.id));
  }
  const others = sorted.filter((p) => !p.claimant.own);
  if (others.length) {
    const count = new Set(others.map((p) => p.claimant.id)).size;
    traces.push(marks(others, `${count} other claimant${count === 1 ? "" : "s"}`, null));
  }
  if (open.length) {
    traces.push({
      type: "scatter",
      mode: "markers",
      name: "▲ no upper bound",
      x: open.map((p) => p.x),
      y: open.map(() => top),
      marker: { symbol: "triangle-up", size: 10, color: open.map((p) => p.claimant.colour) },
      hoverinfo: "skip",
      meta: { kind: "open-ends" },
    });
  }
  return traces;
}

const SYMBOLS = { stated: "circle", derived: "diamond", unspecified: "x-thin-open" };

/** A trace of marks: ● a stated figure, ◆ a derived sum, ✕ (on the axis) no number. */
function marks(items, name, claimantId) {
  const symbols = items.map((p) => (p.kind === "derived" ? SYMBOLS.derived : p.low === null ? SYMBOLS.unspecified : SYMBOLS.stated));
  const colours = items.map((p) => p.claimant.colour);
  const open = symbols.map((symbol) => symbol.endsWith("-open"));
  return {
    type: "scatter",
    mode: "markers",
    name,
    x: items.map((p) => p.x),
    y: items.map((p) => p.y),
    marker: {
      symbol: symbols,
      size: symbols.map((symbol) => (symbol === SYMBOLS.stated ? 9 : 11)),
      color: colours,
      line: { width: open.map((o) => (o ? 2 : 1.5)), color: colours.map((c, i) => (open[i] ? c : "#fff")) },
    },
    customdata: items.map((p) => [p.figureId, p.claimant.id, p.claimId, p.low, p.high, p.derivedFrom, p.kind]),
    hovertext: items.map((p) => p.hover),
    hoverinfo: "text",
    hoverlabel: { align: "left" },
    meta: { kind: "marks", claimant_id: claimantId },
  };
}

function layout(model, unit, narrow) {
  return {
    height: narrow ? 420 : 460,
    margin: { l: 56, r: 12, t: 12, b: 8 },
    barmode: "overlay",
    bargap: 0,
    hovermode: "closest",
    font: { family: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", size: 13 },
    xaxis: { type: "date", automargin: true },
    yaxis: { title: { text: unit }, range: [0, model.top * 1.04], rangemode: "tozero", separatethousands: true, automargin: true },
    legend: { orientation: "h", y: -0.14, yanchor: "top" },
    plot_bgcolor: "#fff",
    paper_bgcolor: "#fff",
  };
}

/** Bars a fixed share of the time the chart spans (at least a day), whatever the span. */
function barWidths(traces, model) {
  const days = model.points.map((p) => Date.parse(p.x));
  const span = days.length ? Math.max(...days) - Math.min(...days) : 0;
  const width = Math.max(span / Math.min(Math.max(days.length * 2, 60), 240), 86_400_000);
  for (const trace of traces) if (trace.type === "bar") trace.width = trace.x.map(() => width);
  return traces;
}

/** What plotly.js is given for a chart model: the traces (with their bars' widths) and the layout. */
function figure(element, model, unit) {
  const narrow = widthOf(element) < 560;
  return { traces: barWidths(chartTraces(model), model), layout: layout(model, unit, narrow) };
}

function counted(element, model) {
  element.dataset.marks = String(model.points.filter((p) => p.kind === "stated").length);
  element.dataset.derived = String(model.points.filter((p) => p.kind === "derived").length);
}

/** Whether `element` holds plotly.js's chart (else nothing yet, or the sketch). */
function interactive(element) {
  return element.classList.contains("js-plotly-plot");
}

const sketches = new WeakMap();
const widths = new WeakMap();

/**
 * Follow the width of the chart's element from the moment it is on the page, as each layout
 * leaves it (a ResizeObserver reads it then, when reading costs nothing), and draw the sketch
 * again when it changes. The chart is then drawn at the width known: reading `clientWidth`
 * when the data comes in would lay the whole page out (the table just put in) once for the
 * reading and again for the paint, 30-70 ms of the frame that first shows the data.
 */
export function followWidth(element) {
  if (widths.has(element)) return;
  widths.set(element, null);
  new ResizeObserver(() => {
    const width = element.clientWidth;
    const changed = widths.get(element) !== width;
    widths.set(element, width);
    const sketch = sketches.get(element);
    if (changed && sketch && sketch.width !== width) sketch.draw();
  }).observe(element);
}

/** The element's width as the last layout left it (read now when not followed yet). */
function widthOf(element) {
  return widths.get(element) ?? element.clientWidth;
}

/**
 * Draw the chart at once without the chart library (sketch.js): the same traces, drawn as
 * plain SVG — again when the element's width changes — until drawChart replaces it.
 * Clicking a mark opens its claim.
 */
export function sketchChart(element, model, { unit, onOpenClaim }) {
  if (interactive(element)) throw new Error("The chart is drawn by plotly.js already: redraw it with drawChart.");
  followWidth(element);
  let sketch = sketches.get(element);
  if (!sketch) {
    sketch = { width: null };
    sketches.set(element, sketch);
  }
  sketch.draw = () => {
    const { traces, layout: look } = figure(element, model, unit);
    sketch.width = widthOf(element);
    drawSketch(element, traces, look, { onOpenClaim, width: sketch.width });
  };
  sketch.draw();
  counted(element, model);
}

/** Draw (or redraw) the chart in `element` with plotly.js; clicking a mark opens its claim. */
export async function drawChart(element, model, { unit, onOpenClaim }) {
  const Plotly = await loadPlotly();
  const { traces, layout: look } = figure(element, model, unit);
  // The sketch stays on top of the chart being drawn, and goes once it is drawn: no frame
  // shows the chart's place empty, or two charts.
  sketches.delete(element);
  const sketch = element.querySelector(":scope > .chart-sketch");
  sketch?.classList.add("covering");
  await Plotly.react(element, traces, look, {
    responsive: true,
    displaylogo: false,
    modeBarButtonsToRemove: ["select2d", "lasso2d"],
    toImageButtonOptions: { filename: "claimledger-figures" },
  });
  if (!element.dataset.listening) {
    element.dataset.listening = "1";
    element.on("plotly_click", (event) => {
      const claimId = event.points?.[0]?.customdata?.[2];
      if (claimId) onOpenClaim(claimId);
    });
  }
  sketch?.remove();
  counted(element, model);
}
