// The JSON API, called with the reader's key. The key lives in sessionStorage only: it is
// never put in a URL or a cookie, it is gone when the tab closes, and signing out forgets it.

const KEY = "claimledger.apiKey";

export const session = {
  get key() {
    return sessionStorage.getItem(KEY);
  },
  signIn(key) {
    sessionStorage.setItem(KEY, key);
  },
  signOut() {
    sessionStorage.removeItem(KEY);
    actors.clear();
  },
};

/** An answer other than 2xx, with the problem details the API sent (RFC 9457). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `The API answered ${status}.`);
    this.status = status;
    this.problem = problem ?? {};
  }
}

/** `path` with the query `params` (empty values left out). */
export function withQuery(path, params = {}) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") query.set(name, value);
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** GET one JSON document of the API. A 401 forgets the key and asks for a new one. */
export async function get(path, params, key = session.key) {
  pageStarted = true;
  const url = withQuery(path, params);
  const early = started.get(url);
  started.delete(url);
  const taken = early && early.key === key && performance.now() - early.at < EARLY_FOR_MS;
  const response = await (taken ? early.response : request(url, key));
  if (!response.ok) {
    const problem = await response.json().catch(() => null);
    if (response.status === 401 && key === session.key) {
      session.signOut();
      window.dispatchEvent(new CustomEvent("explore:signed-out", { detail: problem }));
    }
    throw new ApiError(response.status, problem);
  }
  return response.json();
}

function request(url, key) {
  return fetch(url, { headers: { Authorization: `Bearer ${key}`, Accept: "application/json" } });
}

// Requests that early.js starts while the page's modules load, each kept until the page
// asks for it (its answer is read then, so a refused key is handled as for any request).
const started = new Map();
const EARLY_FOR_MS = 10_000;
let pageStarted = false;

/** Start a GET the page being opened is about to make (unless the page has begun). */
export function prefetch(path, params) {
  const key = session.key;
  if (!key || pageStarted) return;
  const url = withQuery(path, params);
  const response = request(url, key);
  response.catch(() => {}); // a failure is the page's to report, when it takes the answer
  started.set(url, { key, response, at: performance.now() });
}

/** Every page of a list, one after the other: calls `onPage(items, done)` as each arrives. */
export async function allPages(path, params, onPage, { limit = 200, maxPages = 100 } = {}) {
  let cursor = null;
  for (let page = 0; page < maxPages; page += 1) {
    const body = await get(path, { ...params, limit, cursor });
    cursor = body.next_cursor;
    onPage(body.data, !cursor);
    if (!cursor) return;
  }
}

const actors = new Map();

/** An actor by id (its current version), asked once per page load; null when deleted. */
export function actor(id) {
  if (!actors.has(id)) {
    const found = get(`/v1/actors/${encodeURIComponent(id)}`).catch((error) => {
      if (error instanceof ApiError && (error.status === 404 || error.status === 410)) return null;
      actors.delete(id);
      throw error;
    });
    actors.set(id, found);
  }
  return actors.get(id);
}

/** Remember actors that arrived inside another answer (an expanded claim, a summary). */
export function knowActor(doc) {
  if (doc?.id && !actors.has(doc.id)) actors.set(doc.id, Promise.resolve(doc));
}

/** The actor and the bodies above it, nearest first: Kirby, NSC, United States. */
export async function parentChain(doc, depth = 10) {
  const chain = [];
  let current = doc;
  const seen = new Set([doc.id]);
  while (current?.parent_id && chain.length < depth && !seen.has(current.parent_id)) {
    seen.add(current.parent_id);
    current = await actor(current.parent_id);
    if (current) chain.push(current);
  }
  return chain;
}
