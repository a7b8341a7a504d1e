// A claim: what was said, by whom (and the bodies above them), with whom, about whom,
// reported where and relayed by whom, its figures, its relations both ways, and its history.

import { get, knowActor, parentChain, withQuery } from "./api.js";
import { append, dataTable, facts, fill, h, joined, link, markPainted, outLink, section } from "./dom.js";
import { bounds, moment, number, partialDate, period, stated, words } from "./format.js";
import { urlParams } from "./fields.js";
import { historySection } from "./history.js";
import { claimRequest } from "./requests.js";
import { actorName } from "./search.js";

/** "Volodymyr Zelenskyy", a link, and the bodies above: "(President of Ukraine · Ukraine)". */
function claimantLine(doc) {
  const chain = h("span", { class: "chain" });
  const line = h(
    "span",
    null,
    link(`/explore/actors/${doc.id}`, doc.name),
    doc.role ? `, ${doc.role}` : null,
    chain,
  );
  parentChain(doc)
    .then((parents) => {
      if (parents.length) {
        append(chain, " — part of ", joined(parents.map((p) => link(`/explore/actors/${p.id}`, p.name)), " › "));
      }
    })
    .catch(() => {});
  return line;
}

function figuresTable(figures, claim) {
  if (!figures.length) return h("p", { class: "empty" }, "This claim states no figures.");
  return dataTable({
    label: "Figures of this claim",
    caption: `Figures stated in claim ${claim.id}`,
    columns: ["Metric", "Stated words", "Amount", "Bounds", "Accumulation", "Period", "Subject"],
    stack: true,
    rows: figures.map((f) => ({
      attrs: { dataset: { figureId: f.id } },
      cells: [
        { header: true, content: words(f.metric) },
        f.text ? h("q", null, f.text) : "—",
        [stated(f), f.unit !== "people" ? ` ${f.unit}` : null],
        { class: "num", content: bounds(f.low, f.high) },
        words(f.accumulation),
        period(f.period) ?? "—",
        f.subject_id
          ? [
              actorName(f.subject_id),
              h("br"),
              link(withQuery("/explore/figures", { subject_id: f.subject_id, metric: f.metric, unit: f.unit }), "who says how many →"),
            ]
          : "—",
      ],
    })),
  });
}

/** The chain from the claimant's words to the source: claimant → via… → relayed by → source. */
function relayChain(claim, citation) {
  const steps = [actorName(claim.claimant_id), ...(citation.via_ids ?? []).map((id) => actorName(id))];
  if (citation.relayed_by_id) steps.push(actorName(citation.relayed_by_id));
  return h("p", { class: "relay" }, h("span", { class: "label" }, "Relayed: "), joined(steps, " → "), " → this source");
}

function citationItem(claim, citation, source) {
  const title = source ? source.title || source.url || source.id : `${citation.source_id} (deleted)`;
  return h(
    "li",
    { class: "citation" },
    h("p", { class: "source-title" }, source?.url ? outLink(source.url, title) : title),
    source
      ? facts([
          ["Kind", words(source.kind)],
          ["Publisher", source.publisher_id ? actorName(source.publisher_id) : null],
          ["Published", partialDate(source.published_on, source.published_on_precision) ?? moment(source.published_at)],
          ["Language", source.language],
          ["Archived copy", source.archived_url ? outLink(source.archived_url, "archived copy") : null],
          ["Republishes", source.republished_from_id],
        ])
      : null,
    citation.relayed_by_id || citation.via_ids?.length ? relayChain(claim, citation) : null,
    citation.quote ? h("blockquote", null, citation.quote) : null,
    h("p", null, link(withQuery("/explore/claims", { source_id: citation.source_id }), "Other claims citing this source →")),
  );
}

function relationItem(relation) {
  const other = relation.claim;
  const otherLink = other ? link(`/explore/claims/${relation.claim_id}`, other.text) : `${relation.claim_id} (deleted)`;
  return h(
    "li",
    { dataset: { direction: relation.direction } },
    relation.direction === "outgoing"
      ? ["This claim ", h("strong", null, relation.relation), " ", otherLink]
      : [otherLink, " ", h("strong", null, relation.relation), " this claim"],
  );
}

export async function claimPage(view, { id }) {
  const params = urlParams();
  const { as_of: asOf, diff } = params;
  const claim = await get(...claimRequest(id, params));
  const { expanded } = claim;
  if (!asOf && expanded.claimant) knowActor(expanded.claimant);
  document.title = `${claim.text.slice(0, 60)} · Claim · ClaimLedger`;
  const sources = new Map((expanded.citations ?? []).map((c) => [c.source_id, c.source]));
  const coClaimants = claim.co_claimant_ids ?? [];
  const basedOn = claim.based_on ?? [];
  fill(
    view,
    asOf
      ? h("p", { class: "as-of", role: "note" }, `Shown as it was at ${moment(asOf)} (version ${claim.version}). `, link(`/explore/claims/${id}`, "Show the current version"))
      : null,
    h("p", { class: "kicker" }, "Claim ", h("code", null, claim.id), " · version ", String(claim.version)),
    h("h1", { class: "claim-text" }, claim.text),
    claim.quote ? h("blockquote", { class: "quote" }, h("p", null, claim.quote)) : null,
    facts([
      ["Claimant", expanded.claimant ? claimantLine(expanded.claimant) : actorName(claim.claimant_id)],
      ["Co-claimants", coClaimants.length ? joined(coClaimants.map((a) => actorName(a))) : null],
      ["Stated", partialDate(claim.stated_on, claim.stated_on_precision) ?? "date not known"],
      ["Status", h("span", { class: `status status-${claim.status}` }, claim.status)],
      ["Basis", claim.basis],
      ["Based on", basedOn.length ? joined(basedOn.map((b) => (b.actor_id ? [actorName(b.actor_id), ` (“${b.text}”)`] : `“${b.text}”`))) : null],
      ["About", claim.subject_ids?.length ? joined(claim.subject_ids.map((a) => actorName(a))) : null],
      ["Where", claim.location ? [claim.location.name ?? "", claim.location.country ? ` (${claim.location.country})` : ""] : null],
      ["Topics", claim.topics?.length ? claim.topics.map(words).join(", ") : null],
      ["External id", claim.external_id],
      ["Recorded", `${moment(claim.created_at)}; changed ${moment(claim.updated_at)}`],
    ]),
    section(`Figures (${number(expanded.figures.length)})`, figuresTable(expanded.figures, claim)),
    section(
      `Citations (${number(claim.citations.length)})`,
      claim.citations.length
        ? h("ol", { class: "citations" }, claim.citations.map((c) => citationItem(claim, c, sources.get(c.source_id))))
        : h("p", { class: "empty" }, "No citations."),
    ),
    section(
      "Relations",
      expanded.relations.length
        ? h("ul", { class: "relations" }, expanded.relations.map(relationItem))
        : h("p", { class: "empty" }, "No claim is related to this one."),
      h("p", null, link(withQuery("/explore/claims", { related_to: id }), "All related claims, in either direction →")),
    ),
  );
  markPainted("explore:claim:data", { id });
  const history = historySection(id, { asOf, diff, version: claim.version });
  view.append(history.element);
  await history.loaded;
}
