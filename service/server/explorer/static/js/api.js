// The REST/JSON API of factgraphd (google.api.http annotations in
// proto/factgraph/v1/factgraph_service.proto), same origin only. Every URL the
// explorer calls is built here.

/** An error answered by the server as a google.rpc.Status. */
export class ApiError extends Error {
  constructor(httpStatus, status) {
    super(status.message || `HTTP ${httpStatus}`);
    this.httpStatus = httpStatus;
    this.code = status.code;
  }
}

function resourcePath(name) {
  return name.split('/').map(encodeURIComponent).join('/');
}

function query(parameters) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(parameters)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? '?' + text : '';
}

async function getJson(url) {
  const response = await fetch(url, {credentials: 'omit', headers: {Accept: 'application/json'}});
  const text = await response.text();
  let body;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    throw new ApiError(response.status, {message: `not JSON from ${url}: ${text.slice(0, 200)}`});
  }
  if (!response.ok) throw new ApiError(response.status, body.error || body);
  return body;
}

/** One resource by name, e.g. 'institutions/kaist' (AIP-131). */
export function getResource(name) {
  return getJson('/v1/' + resourcePath(name));
}

/** SearchEntities: one page of ranked hits. */
export function searchEntities(text, pageToken) {
  return getJson('/v1/entities:search' + query({query: text, pageToken}));
}

/**
 * QueryFacts: the server streams newline-delimited JSON, one
 * QueryFactsResponse per line; returns every fact of every batch.
 */
export async function queryFacts(patterns) {
  const url = '/v1/facts' + query(patterns);
  const response = await fetch(url, {credentials: 'omit'});
  const text = await response.text();
  if (!response.ok) {
    let status = {message: text};
    try {
      const body = JSON.parse(text);
      status = body.error || body;
    } catch { /* not JSON: keep the text */ }
    throw new ApiError(response.status, status);
  }
  const facts = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const message = JSON.parse(line);
    if (message.error) throw new ApiError(response.status, message.error);
    facts.push(...((message.result || message).facts || []));
  }
  return facts;
}

/** ListNeighbors from one resource. */
export function listNeighbors(name, depth) {
  return getJson('/v1/' + resourcePath(name) + ':neighbors' + query({depth}));
}

/** FindPaths between two resources. */
export function findPaths(from, to) {
  return getJson('/v1/' + resourcePath(from) + ':paths' + query({to}));
}

/** GetKnowledgeBaseInfo: counts per collection and the documents. */
export function knowledgeBaseInfo() {
  return getJson('/v1/knowledgeBase');
}
