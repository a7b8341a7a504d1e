// Actors: a search by name, and an actor's page — where it sits in its hierarchy, what it
// is also called, its ids elsewhere, what it claimed, what is claimed about it, and the
// figures that count it.

import { get, knowActor, parentChain, withQuery } from "./api.js";
import { append, facts, fill, h, joined, link, markPainted, section } from "./dom.js";
import { bounds, number, words } from "./format.js";
import { filterForm, selectField, textField, urlParams } from "./fields.js";
import { claimList } from "./search.js";

const KINDS = [
  "person",
  "state",
  "government_body",
  "armed_force",
  "armed_group",
  "media_outlet",
  "organization",
  "intelligence_agency",
  "international_organization",
];
const CLAIMS_SHOWN = 10;

function actorItem(a) {
  return h(
    "li",
    null,
    link(`/explore/actors/${a.id}`, a.name),
    h("span", { class: "meta" }, " · ", words(a.kind ?? "kind not given"), a.country ? ` · ${a.country}` : null, a.anonymous ? " · anonymous" : null),
  );
}

export async function actorsPage(view) {
  const params = urlParams();
  document.title = "Actors · ClaimLedger";
  const results = h("div", { class: "results", "aria-live": "polite" });
  fill(
    view,
    h("h1", null, "Actors"),
    filterForm("/explore/actors", "Search actors", [
      textField("q", "Name or alias", params.q, { type: "search" }),
      selectField("kind", "Kind", params.kind, [["", "any"], ...KINDS.map((k) => [k, words(k)])]),
      textField("country", "Country (ISO 3166-1 alpha-3)", params.country, { maxlength: 3 }),
    ]),
    results,
  );
  const filters = { q: params.q, kind: params.kind, country: params.country };
  const page = await get("/v1/actors", { ...filters, cursor: params.cursor, limit: 50 });
  append(
    results,
    page.data.length ? h("ul", { class: "actors" }, page.data.map(actorItem)) : h("p", { class: "empty" }, "No actors match."),
    page.next_cursor ? h("p", { class: "pager" }, link(withQuery("/explore/actors", { ...filters, cursor: page.next_cursor }), "Next page →")) : null,
  );
  markPainted("explore:actors:data");
}

function figureGroups(groups, subjectId) {
  if (!groups.length) return h("p", { class: "empty" }, "No figure counts this actor.");
  return h(
    "ul",
    { class: "groups" },
    groups.map((g) =>
      h(
        "li",
        null,
        link(
          withQuery("/explore/figures", { subject_id: subjectId, metric: g.metric, unit: g.unit, accumulation: g.accumulation }),
          `${words(g.metric)} (${words(g.accumulation)}, ${g.unit})`,
        ),
        `: ${bounds(g.low, g.high)} — ${number(g.figure_count)} figure${g.figure_count === 1 ? "" : "s"} by ${number(g.claimant_count)} claimant${g.claimant_count === 1 ? "" : "s"}`,
      ),
    ),
  );
}

export async function actorPage(view, { id }) {
  const a = await get(`/v1/actors/${id}`);
  knowActor(a);
  document.title = `${a.name} · Actor · ClaimLedger`;
  const hierarchy = h("p", { class: "chain" }, "…");
  const members = h("div", null, h("p", null, "Loading…"));
  const claimed = h("div");
  const about = h("div");
  const figures = h("div", null, h("p", null, "Loading…"));
  const externalIds = Object.entries(a.external_ids ?? {});
  fill(
    view,
    h("p", { class: "kicker" }, "Actor ", h("code", null, a.id), " · version ", String(a.version)),
    h("h1", null, a.name),
    facts([
      ["Kind", words(a.kind)],
      ["Role", a.role],
      ["Country", a.country],
      ["Anonymous", a.anonymous ? "yes: the name is the description reporting used" : null],
      ["Also called", a.aliases?.length ? a.aliases.join("; ") : null],
      ["Ids elsewhere", externalIds.length ? joined(externalIds.map(([scheme, value]) => [h("code", null, scheme), " ", value])) : null],
      ["External id", a.external_id],
      ["Description", a.description],
    ]),
    section("Place in its hierarchy", hierarchy, members),
    section("Figures counting this actor", figures),
    section("Claims by this actor", claimed),
    section("Claims about this actor", about),
  );
  markPainted("explore:actor:data", { id });
  const chain = parentChain(a).then((parents) => {
    const path = [...parents].reverse().map((p) => link(`/explore/actors/${p.id}`, p.name));
    fill(hierarchy, path.length ? [joined(path, " › "), " › ", h("strong", null, a.name)] : "At the top: it belongs to no other actor.");
  });
  const children = get("/v1/actors", { parent_id: id, limit: 50 }).then((page) => {
    fill(
      members,
      page.data.length ? [h("p", null, "Members, direct:"), h("ul", { class: "actors" }, page.data.map(actorItem))] : h("p", { class: "empty" }, "No actor belongs to it."),
      page.next_cursor ? h("p", null, "… and more.") : null,
    );
  });
  const summary = get("/v1/figures/summary", { subject_id: id, limit: 50 }).then((page) => fill(figures, figureGroups(page.data, id)));
  const more = (params) => (cursor) => withQuery("/explore/claims", { ...params, cursor });
  await Promise.all([
    chain,
    children,
    summary,
    claimList(claimed, { claimant_id: id, limit: CLAIMS_SHOWN }, more({ claimant_id: id })),
    claimList(about, { subject_id: id, limit: CLAIMS_SHOWN }, more({ subject_id: id })),
  ]);
}
