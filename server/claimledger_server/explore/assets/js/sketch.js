// The chart as it first appears: the traces and layout chart.js hands to plotly.js, drawn
// at once as plain SVG, while plotly.js (1.2 MB, a few hundred milliseconds to compile and
// run) loads; its interactive chart then takes the sketch's place. Same marks: each point
// of each trace at the same place, with plotly.js's own symbol outlines, sizes and colours;
// the bars, the open ends and the legend as plotly.js lays them out (its margins, automatic
// time range and ticks, within a few pixels). tests/explore/test_chart_sketch.py holds
// the sketch to the API's timeline and to the chart plotly.js then draws.

import { grouped } from "./format.js";

const NS = "http://www.w3.org/2000/svg";
const DAY = 86_400_000;
const MONTH = DAY * 30.4375;
const YEAR = DAY * 365.25;
const INK = "#444";
const GRID = "#eee";
const SI = ["", "k", "M", "G", "T"];

/** plotly.js's marker outlines (src/components/drawing/symbol_defs.js), `r` = size / 2. */
const round2 = (v) => Math.round(v * 100) / 100;
const OUTLINES = {
  circle: (r) => {
    const a = round2(r);
    return `M${a},0A${a},${a} 0 1,1 0,-${a}A${a},${a} 0 0,1 ${a},0Z`;
  },
  diamond: (r) => {
    const a = round2(r * 1.3);
    return `M${a},0L0,${a}L-${a},0L0,-${a}Z`;
  },
  "triangle-up": (r) => {
    const a = round2((r * 2) / Math.sqrt(3));
    return `M-${a},${round2(r / 2)}H${a}L0,-${round2(r)}Z`;
  },
  "x-thin-open": (r) => {
    const a = round2(r);
    return `M${a},${a}L-${a},-${a}M${a},-${a}L-${a},${a}`;
  },
};

function svg(tag, attrs, ...children) {
  const element = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value !== null && value !== undefined) element.setAttribute(name, String(value));
  }
  element.append(...children);
  return element;
}

/** A value of a marker attribute: per point (an array) or for every point. */
const at = (value, index) => (Array.isArray(value) ? value[index] : value);
const ms = (day) => Date.parse(day);

let measurer = null;
function textWidth(text, font) {
  measurer ??= document.createElement("canvas").getContext("2d");
  measurer.font = font;
  return measurer.measureText(text).width;
}

/**
 * The time axis's range as plotly.js's autorange finds it: each bar's ends, and half the
 * smallest gap between two of its trace's bars on either side of each, without padding;
 * each mark with its radius (a marker of size s pads max(s / 1.6, 3) pixels) and 5 % of
 * the axis beside it; then the range that fits them all.
 */
function timeRange(traces, length) {
  const extremes = [];
  for (const trace of traces) {
    const xs = trace.x.map(ms);
    if (trace.type === "bar") {
      const gap = smallestGap(xs);
      xs.forEach((x, i) => {
        const half = at(trace.width, i) / 2;
        extremes.push([x - gap / 2, 0], [x + gap / 2, 0], [x - half, 0], [x + half, 0]);
      });
    } else {
      xs.forEach((x, i) => extremes.push([x, Math.max(at(trace.marker.size, i) / 1.6, 3) + 0.05 * length]));
    }
  }
  if (!extremes.length) return [Date.UTC(2000, 0, 1), Date.UTC(2001, 0, 1)];
  let best = null;
  for (const low of outermost(extremes, 1)) {
    for (const high of outermost(extremes, -1)) {
      const span = high[0] - low[0];
      const room = length - low[1] - high[1];
      if (span > 0 && room > 0 && (!best || span / room > best.scale)) best = { scale: span / room, low, high };
    }
  }
  if (!best) {
    const x = extremes[0][0];
    return [x - DAY / 2, x + DAY / 2];
  }
  return [best.low[0] - best.scale * best.low[1], best.high[0] + best.scale * best.high[1]];
}

/**
 * The extremes that can bound the range on one side (`side` 1: the low end, -1: the high
 * end): those no other extreme passes with at least as much padding.
 */
function outermost(extremes, side) {
  const sorted = [...extremes].sort((a, b) => side * (a[0] - b[0]) || b[1] - a[1]);
  const kept = [];
  for (const extreme of sorted) {
    if (!kept.length || extreme[1] > kept.at(-1)[1]) kept.push(extreme);
  }
  return kept;
}

/** plotly.js's smallest distance between distinct positions (the whole span for one). */
function smallestGap(values) {
  const sorted = [...values].sort((a, b) => a - b);
  let gap = sorted.at(-1) - sorted[0] || 1;
  const noise = gap / (sorted.length - 1 || 1) / 10_000;
  for (let i = 1; i < sorted.length; i += 1) {
    const step = sorted[i] - sorted[i - 1];
    if (step > noise) gap = Math.min(gap, step);
  }
  return gap;
}

/** Tick spacing as plotly.js picks it: about one tick per `minPx`, rounded to 1, 2, 5, 10. */
function roundUp(value, steps) {
  return steps.find((step) => step >= value) ?? steps.at(-1);
}

function valueTicks([low, high], length) {
  const count = Math.min(Math.max(length / 40, 4), 9) + 1;
  const rough = (high - low) / count;
  const base = 10 ** Math.floor(Math.log10(rough));
  const step = base * roundUp(rough / base, [2, 5, 10]);
  // From 10,000 up plotly.js writes thousands as "k", millions as "M" (SI prefixes).
  const exponent = Math.floor(Math.log10(Math.max(Math.abs(low), Math.abs(high))) + 0.01);
  const si = exponent > 3 ? 3 * Math.round((exponent - 1) / 3) : 0;
  const ticks = [];
  for (let value = Math.ceil(low / step) * step; value <= high + step * 1e-9; value += step) {
    const scaled = grouped(value / 10 ** si);
    ticks.push({ value, text: [value === 0 ? "0" : scaled + SI[si / 3]] });
  }
  return ticks;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const TICK0 = Date.UTC(2000, 0, 1);

/**
 * Ticks of the time axis as plotly.js places and words them: about one per 80 pixels, in
 * whole years ("2016"), months ("Mar 2016") or days ("Mar 5", the year under the first
 * day of each year shown), counted from 2000-01-01 (weeks from Sunday 2000-01-02).
 */
function timeTicks([low, high], length) {
  const count = Math.min(Math.max(length / 80, 4), 9) + 1;
  const rough = (high - low) / count;
  const ticks = [];
  const first = new Date(low);
  if (2 * rough > YEAR) {
    const years = 10 ** Math.floor(Math.log10(rough / YEAR));
    const step = years * roundUp(rough / YEAR / years, [2, 5, 10]);
    for (let y = Math.ceil((first.getUTCFullYear() - 2000) / step) * step + 2000; Date.UTC(y, 0, 1) <= high; y += step) {
      if (Date.UTC(y, 0, 1) >= low) ticks.push({ value: Date.UTC(y, 0, 1), text: [String(y)] });
    }
  } else if (2 * rough > MONTH) {
    const step = roundUp(rough / MONTH, [1, 2, 3, 6, 12]);
    const from = Math.ceil(((first.getUTCFullYear() - 2000) * 12 + first.getUTCMonth()) / step) * step;
    for (let month = from; Date.UTC(2000, month, 1) <= high; month += step) {
      const day = new Date(Date.UTC(2000, month, 1));
      if (day >= low) ticks.push({ value: day.getTime(), text: [`${MONTHS[day.getUTCMonth()]} ${day.getUTCFullYear()}`] });
    }
  } else {
    const step = DAY * roundUp(Math.max(rough / DAY, 1), [1, 2, 3, 7, 14]);
    const tick0 = step % (7 * DAY) ? TICK0 : TICK0 + DAY;
    let lastYear = null;
    for (let value = tick0 + Math.ceil((low - tick0) / step) * step; value <= high; value += step) {
      const day = new Date(value);
      const year = day.getUTCFullYear();
      ticks.push({ value, text: [`${MONTHS[day.getUTCMonth()]} ${day.getUTCDate()}`, year !== lastYear ? String(year) : null] });
      lastYear = year;
    }
  }
  return ticks;
}

function mean(value) {
  return Array.isArray(value) ? value.reduce((sum, v) => sum + v, 0) / value.length : value;
}

/** The legend's entries: each trace plotly.js lists, with its first point's symbol and colour. */
function legendEntries(traces) {
  return traces
    .filter((trace) => trace.showlegend !== false && trace.type === "scatter" && trace.x.length)
    .map((trace) => ({
      name: trace.name,
      symbol: at(trace.marker.symbol, 0),
      colour: at(trace.marker.color, 0),
      opacity: Math.min(Math.max(mean(opacity(trace)), 0.2), 1),
      size: Math.min(Math.max(mean(trace.marker.size), 2), 16),
      lineWidth: mean(trace.marker.line?.width ?? 0),
      lineColour: at(trace.marker.line?.color, 0),
    }));
}

/**
 * Lay the legend out in columns as plotly.js does with a horizontal legend, at most half as
 * tall as the chart (plotly.js scrolls the rest; the sketch leaves it out).
 */
function legendLayout(entries, width, height, font) {
  const itemWidth = Math.max(...entries.map((e) => textWidth(e.name, font)), 0) + 45;
  const columns = Math.max(1, Math.min(entries.length, Math.floor(width / itemWidth)));
  const rows = Math.ceil(entries.length / columns);
  return { itemWidth, columns, height: entries.length ? Math.min(rows * 20 + 10, height / 2) : 0 };
}

/**
 * A bar's edges in whole pixels, as plotly.js draws an opaque bar: rounded, and a bar
 * thinner than 2 pixels widened to the pixels it touches, so that every bar shows.
 */
function visible(low, high) {
  if (high - low >= 2) return [Math.round(low), Math.round(high)];
  return [Math.floor(low), Math.ceil(high)];
}

/** A marker as plotly.js draws it: its outline at (x, y), filled, or stroked when hollow. */
function marker({ symbol, size, colour, opacity, lineWidth, lineColour }, x, y) {
  const hollow = symbol.endsWith("-open");
  return svg("path", {
    transform: `translate(${x},${y})`,
    d: OUTLINES[symbol](size / 2),
    opacity: opacity === 1 ? null : opacity,
    fill: hollow ? "none" : colour,
    stroke: hollow ? colour : lineWidth ? lineColour : null,
    "stroke-width": lineWidth || null,
  });
}

/** A marker's opacity: plotly.js draws markers of sizes given point by point at 0.7. */
function opacity(trace) {
  return trace.marker.opacity ?? (Array.isArray(trace.marker.size) ? 0.7 : 1);
}

function pointMark(trace, i, x, y) {
  const style = {
    symbol: at(trace.marker.symbol, i),
    size: at(trace.marker.size, i),
    colour: at(trace.marker.color, i),
    opacity: at(opacity(trace), i),
    lineWidth: at(trace.marker.line?.width, i) ?? 0,
    lineColour: at(trace.marker.line?.color, i),
  };
  const mark = marker(style, x, y);
  const claimId = trace.customdata?.[i]?.[2];
  if (claimId) mark.dataset.claimId = claimId;
  return mark;
}

/**
 * Draw `traces` with `layout` (what plotly.js would get) as SVG in `element`, replacing an
 * earlier sketch, `width` pixels wide (else the element's); a click on a mark calls
 * `onOpenClaim(claimId)`. Returns the SVG.
 */
export function drawSketch(element, traces, layout, { onOpenClaim, width: known } = {}) {
  const width = Math.max(known ?? element.clientWidth, 200);
  const height = layout.height;
  const size = layout.font.size;
  const font = `${size}px ${layout.font.family}`;
  const margin = layout.margin;
  const yRange = layout.yaxis.range;
  const entries = legendEntries(traces);

  // Margins grown to fit the value axis's labels and title, and the legend below the plot
  // (at 14 % of the plot's height under it), as plotly.js's automatic margins do.
  const plotHeightBeside = (legend) => Math.max(40, (height - margin.t - margin.b - legend.height) / 1.14);
  const firstTicks = valueTicks(yRange, plotHeightBeside(legendLayout(entries, width - margin.l, height, font)));
  const labelWidth = Math.max(...firstTicks.map((t) => textWidth(t.text[0], font)));
  const left = Math.max(margin.l, Math.round(labelWidth + 25));
  const plotWidth = width - left - margin.r;
  const legend = legendLayout(entries, width - left, height, font);
  const plotHeight = plotHeightBeside(legend);
  const top = margin.t;
  const bottom = top + plotHeight;
  const ticks = valueTicks(yRange, plotHeight);
  const xRange = timeRange(traces, plotWidth);
  const px = (time) => left + ((time - xRange[0]) / (xRange[1] - xRange[0])) * plotWidth;
  const py = (value) => bottom - ((value - yRange[0]) / (yRange[1] - yRange[0])) * plotHeight;
  const dx = (span) => (span / (xRange[1] - xRange[0])) * plotWidth;

  const grid = svg("g", { class: "grid", stroke: GRID, "stroke-width": 1 });
  const labels = svg("g", { class: "ticks", fill: INK, "font-size": size });
  for (const tick of ticks) {
    const y = Math.round(py(tick.value));
    grid.append(svg("path", { d: `M${left},${y}h${plotWidth}`, stroke: tick.value === 0 ? INK : null }));
    const label = svg("text", { x: left - 2, y, dy: "0.35em", "text-anchor": "end", "data-axis": "y", "data-value": tick.value }, tick.text[0]);
    labels.append(label);
  }
  for (const tick of timeTicks(xRange, plotWidth)) {
    const x = Math.round(px(tick.value));
    const lines = tick.text.filter(Boolean);
    // A label that would stick out of the chart is left out, as plotly.js leaves it out.
    const half = Math.max(...lines.map((line) => textWidth(line, font))) / 2;
    if (x - half < 0 || x + half > width) continue;
    const spans = lines.map((line, i) => svg("tspan", { x, dy: i ? "1.3em" : null }, line));
    labels.append(svg("text", { x, y: bottom + size + 1, "text-anchor": "middle", "data-axis": "x", "data-value": tick.value }, ...spans));
  }
  const title = layout.yaxis.title?.text;
  if (title) {
    const x = 11;
    const y = top + plotHeight / 2;
    const titleSize = Math.round(size * 1.2);
    labels.append(svg("text", { x, y, dy: "0.35em", "text-anchor": "middle", "font-size": titleSize, transform: `rotate(-90 ${x} ${y})` }, title));
  }

  const stripes = svg(
    "pattern",
    { id: "sketch-stripes", width: 6, height: 6, patternUnits: "userSpaceOnUse" },
    svg("rect", { width: 6, height: 6 * 0.45, fill: "#fff" }),
  );
  // Marks and bars are cut at the plot's edges, as plotly.js cuts them (`cliponaxis`).
  const clip = svg("clipPath", { id: "sketch-plot" }, svg("rect", { x: left, y: top, width: plotWidth, height: plotHeight }));
  const bars = svg("g", { class: "bars", "clip-path": "url(#sketch-plot)" });
  const points = svg("g", { class: "points", "clip-path": "url(#sketch-plot)" });
  for (const trace of traces) {
    if (trace.type === "bar") {
      // A bar trace's rectangles, at the trace's opacity; an open end's with white stripes.
      const group = svg("g", { class: "trace", opacity: trace.marker.opacity });
      trace.x.forEach((day, i) => {
        const centre = px(ms(day));
        const half = dx(at(trace.width, i)) / 2;
        const [x0, x1] = visible(centre - half, centre + half);
        const [y0, y1] = visible(py(trace.base[i] + trace.y[i]), py(trace.base[i]));
        const box = { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
        group.append(svg("rect", { ...box, fill: at(trace.marker.color, i) }));
        if (trace.marker.pattern) group.append(svg("rect", { ...box, fill: "url(#sketch-stripes)" }));
      });
      bars.append(group);
    } else {
      const group = svg("g", { class: "trace" });
      trace.x.forEach((day, i) => group.append(pointMark(trace, i, round2(px(ms(day))), round2(py(trace.y[i])))));
      points.append(group);
    }
  }

  const key = svg("g", { class: "legend", "font-size": size, fill: INK });
  const legendTop = bottom + 0.14 * plotHeight;
  entries.forEach((entry, i) => {
    const x = left + (i % legend.columns) * legend.itemWidth;
    const y = legendTop + 15 + Math.floor(i / legend.columns) * 20;
    if (y + 5 > legendTop + legend.height) return;
    key.append(svg("g", { class: "legend-entry" }, marker(entry, x + 20, y), svg("text", { x: x + 40, y, dy: "0.35em" }, entry.name)));
  });

  const drawing = svg(
    "svg",
    {
      class: "chart-sketch",
      viewBox: `0 0 ${width} ${height}`,
      width: "100%",
      "font-family": layout.font.family,
      "aria-hidden": "true",
      "data-plot": [left, top, plotWidth, plotHeight].map(round2).join(","),
    },
    svg("defs", null, stripes, clip),
    grid,
    bars,
    points,
    labels,
    key,
  );
  if (onOpenClaim) {
    drawing.addEventListener("click", (event) => {
      const claimId = event.target.closest?.("[data-claim-id]")?.dataset.claimId;
      if (claimId) onOpenClaim(claimId);
    });
  }
  element.querySelector(":scope > .chart-sketch")?.remove();
  element.append(drawing);
  return drawing;
}
