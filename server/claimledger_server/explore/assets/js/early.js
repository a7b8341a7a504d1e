// The first API requests of the page being opened, started as soon as this small module
// and the two it imports are in, while the rest of the explorer's modules load and run
// (50-100 ms on a first visit to a page): the page's own `get` (api.js) is then answered
// by the request already under way. Only the claim and competing-figures pages, whose
// first paint waits on one answer.

import { prefetch } from "./api.js";
import { PAGES, claimRequest, figuresRequests } from "./requests.js";

const params = Object.fromEntries(new URLSearchParams(location.search));
const claim = location.pathname.match(PAGES.claim);
if (claim) {
  prefetch(...claimRequest(claim[1], params));
} else if (PAGES.figures.test(location.pathname) && params.subject_id && params.metric) {
  const { summary, timeline } = figuresRequests(params);
  prefetch(...summary);
  prefetch(...timeline);
}
