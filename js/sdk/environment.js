/**
 * Which environment a page runs in, and so which Segment source (write key) it may use.
 *
 * Resolution, first match wins: the explicit `environment`; the `hosts` rules against
 * the hostname (test, then development, then staging, then production, so that an
 * overlap never picks production); anything else, local hosts included → development.
 * Production is only ever the answer of an explicit option or rule.
 *
 * @module trackplan/environment
 */

import { ENVIRONMENTS } from './protocol.js';

/** @typedef {import('./types.js').Environment} Environment */
/** @typedef {import('./types.js').HostRules} HostRules */

export { ENVIRONMENTS };

/** The order `hosts` rules are tried in: production last. */
const RULE_ORDER = [...ENVIRONMENTS].reverse();

/**
 * Lower case, no trailing dot, no IPv6 brackets: the form rules are matched against.
 * @param {string} hostname
 */
function canonical(hostname) {
  return String(hostname).trim().toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');
}

/**
 * Whether `hostname` matches one `hosts` rule: a RegExp (which must match the whole
 * hostname, as if anchored with `^…$`, so `/example\.com/` never matches
 * `example.com.evil.io`), `*.example.com` (any subdomain, not the apex), or an exact name.
 * @param {string | RegExp} rule
 * @param {string} hostname canonical hostname
 */
function matches(rule, hostname) {
  if (rule instanceof RegExp) {
    const whole = new RegExp(`^(?:${rule.source})$`, rule.flags.replace(/[gy]/g, ''));
    return whole.test(hostname);
  }
  if (typeof rule !== 'string') return false;
  const name = canonical(rule);
  if (name.startsWith('*.')) {
    const suffix = name.slice(1);
    return hostname.endsWith(suffix) && hostname.length > suffix.length;
  }
  return hostname === name;
}

/**
 * The environment of a page, from the explicit option, the host rules and the hostname.
 * Pure: pass the hostname (in a browser, `location.hostname`).
 *
 * @param {{ environment?: Environment, hosts?: HostRules, hostname?: string }} [input]
 * @returns {Environment}
 */
export function resolveEnvironment({ environment, hosts, hostname } = {}) {
  if (environment !== undefined) {
    if (!ENVIRONMENTS.includes(environment)) {
      throw new TypeError(
        `trackplan: environment ${JSON.stringify(environment)} is not one of ${ENVIRONMENTS.join(', ')}`,
      );
    }
    return environment;
  }
  const host = canonical(hostname ?? '');
  if (hosts && host) {
    for (const env of RULE_ORDER) {
      const rules = hosts[env];
      if (Array.isArray(rules) && rules.some((rule) => matches(rule, host))) return /** @type {Environment} */ (env);
    }
  }
  // Local hosts (localhost, 127.0.0.1, [::1], *.local) and every unknown host are
  // development: the production key is never used by accident.
  return 'development';
}

/** What `targets.js`'s `checkedTargets`, which imports nothing, checks options against. */
export const TARGET_NAMES = { environments: ENVIRONMENTS, canonical };

/**
 * A hostname rule the page's `location.hostname` can equal as it is: lower-case labels of
 * letters, digits and inner hyphens, the last starting with a letter (so not an IPv4
 * address to the URL parser), optionally after `*.`.
 */
const PLAIN_HOST = /^(\*\.)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*[a-z](?:[a-z0-9-]*[a-z0-9])?$/;

/**
 * The `hosts` and `writeKeys` options as `checkedTargets` (`targets.js`) returns them,
 * when they hold nothing to mend and no mistake: every key an environment, every `hosts`
 * entry a list of RegExps and of plain hostnames (no `xn--` label, which the URL parser
 * checks). Undefined otherwise, for `checkedTargets` to answer, loaded only then.
 * @param {{ hosts?: unknown, writeKeys?: unknown }} options
 * @returns {{ hosts: Record<string, Array<string | RegExp>> | undefined, warnings: string[] } | undefined}
 */
export function plainTargets({ hosts, writeKeys }) {
  const keyed = (value, others) =>
    value === undefined ||
    (typeof value === 'object' && value !== null && !Array.isArray(value) &&
      Object.keys(value).every((name) => ENVIRONMENTS.includes(name) || others.includes(name)));
  if (!keyed(writeKeys, ['quarantine']) || !keyed(hosts, [])) return undefined;
  if (hosts === undefined) return { hosts, warnings: [] };
  const isPlain = (rule) => rule instanceof RegExp || (typeof rule === 'string' && PLAIN_HOST.test(rule) && !/(^|\.)xn--/.test(rule));
  /** @type {Record<string, Array<string | RegExp>>} */
  const plain = {};
  for (const [environment, rules] of Object.entries(/** @type {object} */ (hosts))) {
    if (!Array.isArray(rules) || !rules.every(isPlain)) return undefined;
    plain[environment] = [...rules];
  }
  return { hosts: plain, warnings: [] };
}
