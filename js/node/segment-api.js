/**
 * Segment's Public API, read only: a tracking plan with all its rules, fetched as
 * Typewriter fetches it (`GET /tracking-plans/{id}`, then `GET /tracking-plans/{id}/rules`
 * 200 rules a page, following `pagination.next` until there is none), with Node's
 * `fetch`. Each request has a timeout and the whole fetch a deadline; a 429 waits for
 * its `Retry-After` (seconds or an HTTP date, up to a maximum) and a 5xx or a dropped
 * connection is tried again with backoff, both a bounded number of times. Every failure
 * is a {@link PullError} whose message is one line saying what to fix. The token goes in
 * the `Authorization` header, and to no host but the configured one and Segment's.
 *
 * @module trackplan/node/segment-api
 */

/** Segment's Public API. */
export const DEFAULT_API_HOST = 'https://api.segmentapis.com';

/** Segment's Public API for workspaces in the EU region. */
export const EU_API_HOST = 'https://eu1.api.segmentapis.com';

/** Rules asked for a page (Typewriter's page size). */
const PAGE_SIZE = 200;

/** How long and how often: per request, the whole fetch, retries and their waits. */
const LIMITS = {
  requestSeconds: 30,
  totalSeconds: 300,
  maxWaitSeconds: 60,
  rateLimitedRetries: 5,
  failedRetries: 3,
  maxPages: 1000,
  maxRedirects: 3,
};

/** What Segment's API says a rule is, to count rules by kind. */
const RULE_TYPES = ['TRACK', 'IDENTIFY', 'GROUP', 'PAGE', 'SCREEN', 'COMMON'];

/** A failure of the Public API or of its answer: exit code 1, the message on one line. */
export class PullError extends Error {}

/**
 * A tracking plan as the Public API describes it (`id`, `name`, `slug`, `description`,
 * `type`, dates… as Segment sends them) with `rules`: every rule of every page, in the
 * order Segment sent them.
 * @param {{ apiHost: string, trackingPlanId: string, token: string, config: string }} options
 *   `apiHost` an origin (and path) without a trailing slash; `config` the configuration
 *   file's name, for messages
 * @returns {Promise<{ id: string, name?: string, rules: object[] }>}
 * @throws {PullError} (rejects)
 */
export async function fetchTrackingPlan({ apiHost, trackingPlanId, token, config }) {
  const deadline = Date.now() + LIMITS.totalSeconds * 1000;
  const api = { base: apiHost, host: new URL(apiHost).host, token, trackingPlanId, config, deadline };
  const path = `/tracking-plans/${encodeURIComponent(trackingPlanId)}`;
  const body = await getJson(api, path);
  const plan = body?.data?.trackingPlan;
  if (!isObject(plan) || typeof plan.id !== 'string') throw notTheApi(api, path, 'a tracking plan (data.trackingPlan)');
  const metadata = Object.fromEntries(Object.entries(plan).filter(([field]) => field !== 'rules'));
  return { ...metadata, rules: await allRules(api, `${path}/rules`) };
}

/**
 * Every rule of the plan, page after page.
 * @returns {Promise<object[]>}
 * @throws {PullError} (rejects) also when the pages repeat a cursor or a rule: the plan
 *   changed while it was read, or the pagination is broken
 */
async function allRules(api, path) {
  const rules = [];
  const cursors = new Set();
  const seen = new Set();
  let cursor;
  for (let page = 1; page <= LIMITS.maxPages; page += 1) {
    const query = new URLSearchParams({ 'pagination.count': String(PAGE_SIZE) });
    if (cursor !== undefined) query.set('pagination.cursor', cursor);
    const data = (await getJson(api, path, query))?.data;
    if (!isObject(data) || !Array.isArray(data.rules) || !data.rules.every(isObject)) {
      throw notTheApi(api, path, 'a page of rules (data.rules)');
    }
    for (const rule of data.rules) {
      const id = `${rule.type} ${JSON.stringify(rule.key ?? null)} v${rule.version}`;
      if (seen.has(id)) throw changedWhileReading(api, `the rule ${id} came twice`);
      seen.add(id);
      rules.push(rule);
    }
    const next = data.pagination?.next;
    if (next === undefined || next === null || next === '') return rules;
    if (typeof next !== 'string') throw notTheApi(api, path, 'a page of rules (pagination.next a string)');
    if (cursors.has(next)) throw changedWhileReading(api, `the pages repeat the cursor ${JSON.stringify(next)}`);
    cursors.add(next);
    cursor = next;
  }
  throw new PullError(`${api.host} sent more than ${LIMITS.maxPages} pages of ${PAGE_SIZE} rules for ${api.trackingPlanId}: check segment.apiHost in ${api.config}`);
}

/**
 * How many rules of each kind: `12 rules (10 track, 1 identify, 1 page)`.
 * @param {object[]} rules
 * @returns {string}
 */
export function countRules(rules) {
  const kinds = RULE_TYPES.map((type) => [type.toLowerCase(), rules.filter((r) => (r.type ?? 'TRACK') === type).length]);
  const parts = kinds.filter(([, n]) => n > 0).map(([kind, n]) => `${n} ${kind}`);
  return `${rules.length} rule${rules.length === 1 ? '' : 's'}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

/**
 * A GET of the API, its 2xx answer parsed as JSON; a 429 or a 5xx (and a connection
 * dropped mid-way) tried again as {@link retryWait} says.
 * @param {object} api
 * @param {string} path
 * @param {URLSearchParams} [query]
 * @throws {PullError} (rejects)
 */
async function getJson(api, path, query) {
  const tries = { rateLimited: 0, failed: 0 };
  for (;;) {
    const answer = await send(api, path, query, tries);
    if (answer === null) continue;
    if (answer.status >= 200 && answer.status < 300) return parseBody(api, path, answer);
    await sleep(retryWait(api, path, answer, tries));
  }
}

/**
 * One request, following redirects within the API's origin or to Segment's own hosts
 * (`*.segmentapis.com`, over https): the token goes nowhere else.
 * @returns {Promise<Answer | null>} null when a dropped connection is to be tried again
 * @throws {PullError} (rejects)
 */
async function send(api, path, query, tries) {
  let url = new URL(`${api.base}${path}${query ? `?${query}` : ''}`);
  for (let hops = 0; ; hops += 1) {
    const answer = await request(api, url, path, tries);
    if (answer === null || ![301, 302, 303, 307, 308].includes(answer.status)) return answer;
    const target = new URL(answer.headers.get('location') ?? '', url);
    const segments = target.protocol === 'https:' && /(^|\.)segmentapis\.com$/.test(target.hostname);
    if (hops >= LIMITS.maxRedirects || !(target.origin === url.origin || segments)) {
      throw new PullError(
        `${api.host} redirected GET ${path} to ${target.origin}, where pull does not send the token: ` +
          `set segment.apiHost in ${api.config} to the API's address (EU workspaces: ${EU_API_HOST})`,
      );
    }
    url = target;
  }
}

/**
 * @typedef {{ status: number, statusText: string, headers: Headers, text: string }} Answer
 *   a response, read whole
 */

/**
 * `fetch` with the token, the response read whole within the request timeout and the
 * deadline; network failures as messages naming the host.
 * @returns {Promise<Answer | null>} null when a dropped connection is to be tried again
 * @throws {PullError} (rejects)
 */
async function request(api, url, path, tries) {
  const left = api.deadline - Date.now();
  if (left <= 0) throw tookTooLong(api);
  try {
    const response = await fetch(url, {
      headers: {
        authorization: `Bearer ${api.token}`,
        accept: 'application/vnd.segment.v1+json, application/json',
        'user-agent': 'trackplan (pull)',
      },
      redirect: 'manual',
      signal: AbortSignal.timeout(Math.min(LIMITS.requestSeconds * 1000, left)),
    });
    const { status, statusText, headers } = response;
    return { status, statusText, headers, text: await response.text() };
  } catch (error) {
    const code = error.cause?.code ?? error.name;
    if (!['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET'].includes(code)) throw networkError(api, url, path, error);
    tries.failed += 1;
    if (tries.failed > LIMITS.failedRetries) throw networkError(api, url, path, error);
    await sleep(backoff(tries.failed));
    return null;
  }
}

/**
 * The seconds to wait before trying a 429 or a 5xx again.
 * @param {object} api
 * @param {string} path
 * @param {Answer} answer
 * @param {{ rateLimited: number, failed: number }} tries counted here
 * @returns {number}
 * @throws {PullError} for any other status, when the retries are spent, when Segment
 *   asks for a longer wait than {@link LIMITS} allow, or past the deadline
 */
function retryWait(api, path, answer, tries) {
  const { status } = answer;
  const kind = status === 429 ? 'rateLimited' : status >= 500 ? 'failed' : null;
  if (kind === null) throw statusError(api, path, status, segmentSays(answer.text));
  tries[kind] += 1;
  const retries = LIMITS[`${kind}Retries`];
  if (tries[kind] > retries) throw kind === 'rateLimited' ? rateLimited(api, retries) : serverFailed(api, path, answer, retries);
  const wait = retryAfter(answer.headers.get('retry-after')) ?? backoff(tries[kind]);
  if (wait > LIMITS.maxWaitSeconds) {
    throw new PullError(
      `${api.host} asks to wait ${Math.ceil(wait)} s before the next request (${status}), longer than pull waits ` +
        `(${LIMITS.maxWaitSeconds} s): run it again later`,
    );
  }
  if (Date.now() + wait * 1000 >= api.deadline) throw tookTooLong(api);
  return wait;
}

/**
 * A `Retry-After` header in seconds: a number of seconds or an HTTP date.
 * @param {string | null} value
 * @returns {number | undefined} undefined when absent or unreadable
 */
function retryAfter(value) {
  if (value === null || value.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

/** 1, 2, 4… seconds: the wait before retry `n` when the server does not say. */
function backoff(n) {
  return 2 ** (n - 1);
}

/** Resolves after `seconds`. */
function sleep(seconds) {
  return new Promise((resolve) => setTimeout(resolve, seconds * 1000));
}

/**
 * A 2xx answer's body as JSON.
 * @throws {PullError} when it is not JSON
 */
function parseBody(api, path, answer) {
  try {
    return JSON.parse(answer.text);
  } catch {
    const type = answer.headers.get('content-type') ?? 'no content type';
    throw new PullError(
      `${api.host} answered GET ${path} with something that is not JSON (${type}, ${answer.text.length} characters): ` +
        `check that segment.apiHost in ${api.config} is Segment's Public API (${DEFAULT_API_HOST}, or ${EU_API_HOST} in the EU)`,
    );
  }
}

/**
 * What Segment said in an error body (`{ errors: [{ type, message }] }`), on one line
 * and short; '' when it said nothing readable.
 * @param {string} text
 * @returns {string}
 */
function segmentSays(text) {
  let message;
  try {
    message = JSON.parse(text)?.errors?.[0]?.message;
  } catch {
    return '';
  }
  if (typeof message !== 'string' || !message.trim()) return '';
  const line = message.replace(/\s+/g, ' ').trim();
  return ` (Segment: ${JSON.stringify(line.length > 160 ? `${line.slice(0, 159)}…` : line)})`;
}

/** The message for a status pull does not try again. */
function statusError(api, path, status, said) {
  const plan = api.trackingPlanId;
  const region = `the workspace's region (EU workspaces: "apiHost": "${EU_API_HOST}" in "segment")`;
  if (status === 401) {
    return new PullError(
      `SEGMENT_API_TOKEN was refused by ${api.host} (401)${said}: create a Public API token with Tracking Plan read access ` +
        `(Workspace Owner, or Tracking Plan Read-only) in the workspace of ${plan} ` +
        '(Segment: Settings → Workspace settings → Access Management → Tokens) and set SEGMENT_API_TOKEN to it',
    );
  }
  if (status === 403) {
    return new PullError(
      `SEGMENT_API_TOKEN may not read tracking plan ${plan} (403)${said}: give the token Tracking Plan read access ` +
        `(Workspace Owner, or Tracking Plan Read-only) in the plan's workspace, which must have Protocols`,
    );
  }
  if (status === 404) {
    return new PullError(
      `${api.host} has no tracking plan ${plan} (404)${said}: check segment.trackingPlanId in ${api.config}, ` +
        `that SEGMENT_API_TOKEN is from the plan's workspace, and ${region}`,
    );
  }
  return new PullError(
    `${api.host} refused GET ${path} with ${status}${said}: check segment.trackingPlanId and segment.apiHost in ${api.config}`,
  );
}

/** The message once 429s have used up the retries. */
function rateLimited(api, retries) {
  return new PullError(
    `${api.host} kept answering 429 Too Many Requests after ${retries} retries: the workspace's Public API rate limit ` +
      'is used up; run pull again in a minute',
  );
}

/** The message once 5xx answers have used up the retries. */
function serverFailed(api, path, answer, retries) {
  return new PullError(
    `${api.host} answered GET ${path} with ${answer.status}${answer.statusText ? ` ${answer.statusText}` : ''} ` +
      `${retries + 1} times: Segment's Public API is failing; run pull again later (https://status.segment.com)`,
  );
}

/**
 * The message when a request cannot be made or answered.
 * @param {object} api
 * @param {URL} url
 * @param {string} path
 * @param {Error} error what `fetch` threw: a `TypeError` whose `cause` has the system's
 *   code, or a `TimeoutError`
 */
function networkError(api, url, path, error) {
  const code = error.cause?.code ?? error.name;
  const host = url.host;
  const check = `check segment.apiHost in ${api.config} and your network`;
  const why = {
    ECONNREFUSED: `cannot connect to ${host}: connection refused; ${check}`,
    ENOTFOUND: `cannot resolve ${url.hostname} (DNS): ${check}`,
    EAI_AGAIN: `cannot resolve ${url.hostname} (DNS, temporary failure): ${check}, then run pull again`,
    UND_ERR_CONNECT_TIMEOUT: `timed out connecting to ${host}: ${check}`,
    TimeoutError: `${host} did not answer GET ${path} within ${LIMITS.requestSeconds} s: ${check}, then run pull again`,
    ECONNRESET: `${host} dropped the connection to GET ${path} ${LIMITS.failedRetries + 1} times: ${check}, then run pull again`,
  }[code === 'EPIPE' || code === 'UND_ERR_SOCKET' ? 'ECONNRESET' : code];
  if (why) return new PullError(why);
  if (/CERT|SSL|TLS/i.test(String(code))) return new PullError(`cannot connect securely to ${host} (${code}): ${check} (a proxy that intercepts TLS?)`);
  const detail = String(error.cause?.message ?? error.message).replace(/\s+/g, ' ');
  return new PullError(`cannot reach ${host} (${detail}): ${check}`);
}

/** The message when an answer is JSON but not what the Public API sends. */
function notTheApi(api, path, what) {
  return new PullError(
    `${api.host} answered GET ${path} with JSON that is not ${what}: check that segment.apiHost in ${api.config} ` +
      `is Segment's Public API (${DEFAULT_API_HOST}, or ${EU_API_HOST} in the EU)`,
  );
}

/** The message when the pages do not add up. */
function changedWhileReading(api, what) {
  return new PullError(`reading tracking plan ${api.trackingPlanId} from ${api.host}, ${what}: the plan may have changed meanwhile; run pull again`);
}

/** The message past the deadline of the whole fetch. */
function tookTooLong(api) {
  return new PullError(`pulling ${api.trackingPlanId} from ${api.host} took over ${LIMITS.totalSeconds} s: run pull again later`);
}

/** Whether `value` is a plain JSON object. */
function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
