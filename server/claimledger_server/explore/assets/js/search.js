// Search claims: full text and the list filters of GET /v1/claims, page by page.

import { actor, get, withQuery } from "./api.js";
import { append, fill, h, joined, link, markPainted } from "./dom.js";
import { partialDate, words } from "./format.js";
import {
  actorField,
  filterForm,
  momentField,
  selectField,
  textField,
  urlParams,
} from "./fields.js";

const STATUSES = ["unverified", "corroborated", "disputed", "refuted", "retracted"];
const FILTERS = [
  "q",
  "claimant_id",
  "subject_id",
  "status",
  "topic",
  "stated_from",
  "stated_to",
  "country",
  "source_id",
  "relayed_by_id",
  "related_to",
  "as_of",
];
const PAGE_SIZE = 20;

/** An actor's name, filled into `element` when it arrives (its id until then). */
export function actorName(id, element = h("a", { href: `/explore/actors/${id}` }, id)) {
  actor(id)
    .then((found) => {
      element.textContent = found ? found.name : `${id} (deleted)`;
    })
    .catch(() => {});
  return element;
}

/** One claim in a list: its text, who said it and when, its status. */
export function claimItem(claim) {
  const claimants = [claim.claimant_id, ...(claim.co_claimant_ids ?? [])];
  return h(
    "li",
    { class: "claim-item" },
    h("a", { href: `/explore/claims/${claim.id}`, class: "claim-link" }, claim.text),
    h(
      "p",
      { class: "meta" },
      joined(claimants.map((id) => actorName(id))),
      claim.stated_on ? [" · ", h("time", { datetime: claim.stated_on }, partialDate(claim.stated_on, claim.stated_on_precision))] : null,
      " · ",
      h("span", { class: `status status-${claim.status}` }, claim.status),
      claim.topics?.length ? [" · ", words(claim.topics.join(", "))] : null,
    ),
  );
}

/** A list of claims from the API, with a link to the next page. */
export async function claimList(container, params, nextHref) {
  const page = await get("/v1/claims", { ...params, limit: params.limit ?? PAGE_SIZE });
  if (page.data.length === 0) {
    append(container, h("p", { class: "empty" }, "No claims match."));
  } else {
    append(container, h("ol", { class: "claims" }, page.data.map(claimItem)));
  }
  if (page.next_cursor) {
    append(container, h("p", { class: "pager" }, link(nextHref(page.next_cursor), "Next page →")));
  }
  return page;
}

export async function searchPage(view) {
  const params = Object.fromEntries(
    Object.entries(urlParams()).filter(([name]) => [...FILTERS, "cursor"].includes(name)),
  );
  document.title = params.q ? `“${params.q}” · Claims · ClaimLedger` : "Claims · ClaimLedger";
  const results = h("div", { class: "results", "aria-live": "polite", "aria-busy": "true" });
  const more = h("details", { class: "more-filters", open: FILTERS.slice(3).some((name) => params[name]) },
    h("summary", null, "More filters"),
    h("div", { class: "field-grid" }, [
      textField("topic", "Topic", params.topic),
      textField("stated_from", "Stated from", params.stated_from, { type: "date" }),
      textField("stated_to", "Stated to", params.stated_to, { type: "date" }),
      textField("country", "Country (ISO 3166-1 alpha-3)", params.country, { maxlength: 3, pattern: "[A-Z]{3}" }),
      textField("source_id", "Cited source (src_… id)", params.source_id),
      actorField("relayed_by_id", "Relayed by", params.relayed_by_id),
      textField("related_to", "Related to claim (clm_… id)", params.related_to),
      momentField("as_of", "As of (UTC)", params.as_of, "The ledger as it was at that moment."),
    ]),
  );
  fill(
    view,
    h("h1", null, "Claims"),
    filterForm("/explore/claims", "Search claims", [
      textField("q", "Words", params.q, { type: "search", help: 'Web-search syntax: "a phrase", or, -word' }),
      actorField("claimant_id", "Claimant or co-claimant", params.claimant_id),
      actorField("subject_id", "About (subject)", params.subject_id),
      selectField("status", "Status", params.status, [["", "any"], ...STATUSES.map((s) => [s, s])]),
      more,
    ]),
    results,
  );
  const filters = Object.fromEntries(Object.entries(params).filter(([name]) => name !== "cursor"));
  const page = await claimList(results, params, (cursor) =>
    withQuery("/explore/claims", { ...filters, cursor }),
  );
  results.setAttribute("aria-busy", "false");
  if (params.cursor) {
    results.prepend(h("p", { class: "pager" }, link(withQuery("/explore/claims", filters), "← First page")));
  }
  results.prepend(h("p", { class: "count" }, `${page.data.length} claim${page.data.length === 1 ? "" : "s"} on this page`));
  markPainted("explore:search:data", { count: page.data.length });
}
