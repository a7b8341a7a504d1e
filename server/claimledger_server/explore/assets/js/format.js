// How values read: numbers, bounds, partly known dates, periods.

// Whole numbers are grouped here, as Intl.NumberFormat("en") groups them: the first use of
// Intl in a page loads the browser's locale data, 25-60 ms of the main thread on a first
// visit in our profiles, in the middle of the page's first paint with data. Other numbers
// (a chart tick of 2.5k) still go through Intl, set up when first needed.
let intl = null;

/** `value` as "en" writes it (thousands grouped, at most three decimals). */
export function grouped(value) {
  if (Number.isSafeInteger(value)) {
    const digits = String(Math.abs(value)).replace(/\B(?=(\d{3})+$)/g, ",");
    return value < 0 ? `-${digits}` : digits;
  }
  intl ??= new Intl.NumberFormat("en", { maximumFractionDigits: 3 });
  return intl.format(value);
}

export function number(value) {
  return value === null || value === undefined ? "—" : grouped(value);
}

/** A figure's bounds in words: "3,001 or more", "900–999", "1,000", "no number". */
export function bounds(low, high) {
  if (low === null || low === undefined) {
    return high === null || high === undefined ? "no number" : `up to ${number(high)}`;
  }
  if (high === null || high === undefined) return `${number(low)} or more`;
  if (low === high) return number(low);
  return `${number(low)}–${number(high)}`;
}

/** A date known to the day, month or year: "2024-12-23", "2024-12", "2024". */
export function partialDate(day, precision) {
  if (!day) return null;
  if (precision === "year") return day.slice(0, 4);
  if (precision === "month") return day.slice(0, 7);
  return day;
}

/** A figure's period: its words and its dates ("in the last week: 2024-12-20 to 2024-12-27"). */
export function period(value) {
  if (!value) return null;
  const start = partialDate(value.start, value.start_precision);
  const end = partialDate(value.end, value.end_precision);
  const dates = start || end ? `${start ?? "…"} to ${end ?? "…"}` : null;
  if (value.text && dates) return `${value.text} (${dates})`;
  return value.text || dates;
}

/** An instant as the API writes it, shortened for reading: "2024-12-27 10:03:04 UTC". */
export function moment(value) {
  if (!value) return null;
  return value.replace("T", " ").replace(/\.\d+/, "").replace(/(Z|\+00:00)$/, " UTC");
}

/** A snake_case name as words: "killed_or_wounded" → "killed or wounded". */
export function words(value) {
  return value ? value.replaceAll("_", " ") : value;
}

/** A figure's amount as it was stated: "more than 3,000", "between 200 and 300", "vague". */
export function stated(figure) {
  const { qualifier, amount, amount_max: amountMax } = figure;
  if (qualifier === "range") return `between ${number(amount)} and ${number(amountMax)}`;
  if (amount === null || amount === undefined) return words(qualifier);
  if (qualifier === "exact") return number(amount);
  return `${words(qualifier)} ${number(amount)}`;
}

/** A datetime-local field's value, read as UTC, as RFC 3339; "" when empty. */
export function utcMoment(fieldValue) {
  if (!fieldValue) return "";
  const withSeconds = fieldValue.length === 16 ? `${fieldValue}:00` : fieldValue;
  return `${withSeconds}Z`;
}

/** RFC 3339 as a datetime-local field shows it (UTC). */
export function fieldMoment(value) {
  if (!value) return "";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return "";
  return date.toISOString().slice(0, 19);
}
