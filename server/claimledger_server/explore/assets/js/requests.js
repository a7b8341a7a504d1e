// The pages' addresses and the first API requests each page makes, in one place: the
// pages make them (claim.js, figures.js), and early.js starts them before those pages'
// modules are loaded and run.

export const PAGES = {
  search: /^\/explore(?:\/claims)?\/?$/,
  claim: /^\/explore\/claims\/(clm_[0-9a-z]+)$/,
  actors: /^\/explore\/actors\/?$/,
  actor: /^\/explore\/actors\/(act_[0-9a-z]+)$/,
  figures: /^\/explore\/figures\/?$/,
};

export const CLAIM_EXPAND = "claimant,figures,relations,citations.source";
export const TIMELINE_PAGE = 200;
export const SUMMARY_PAGE = 50;

/** A claim page's claim: `[path, query]`. */
export function claimRequest(id, { as_of: asOf }) {
  return [`/v1/claims/${id}`, { expand: CLAIM_EXPAND, as_of: asOf }];
}

/**
 * What a competing-figures page for a subject and a metric asks for: the summary its table
 * shows (with every filter) and the first page of the timeline its chart draws (running
 * totals in `unit`: the accumulation and period filters are the table's only).
 */
export function figuresRequests(params) {
  const unit = params.unit || "people";
  const common = { subject_id: params.subject_id, stated_from: params.stated_from, stated_to: params.stated_to, as_of: params.as_of };
  const summary = { ...common, metric: params.metric, accumulation: params.accumulation, period_from: params.period_from, period_to: params.period_to, limit: SUMMARY_PAGE };
  const timeline = { ...common, metric: params.metric, unit, limit: TIMELINE_PAGE };
  return { unit, common, summary: ["/v1/figures/summary", summary], timeline: ["/v1/figures/timeline", timeline] };
}
