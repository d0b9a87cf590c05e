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

/**
 * The `hosts` and `writeKeys` options, checked and normalized, with a warning for each
 * rule normalized: what is unambiguous is mended (a single rule given as a string, a URL
 * or a `host:port` for a hostname, a Unicode name for the punycode one the page's
 * `location.hostname` has), anything else is a set-up mistake. A production page that
 * silently resolved to development, and its development key, is the mistake the
 * environments exist to prevent.
 * @param {{ hosts?: unknown, writeKeys?: unknown }} options
 * @returns {{ hosts: Record<string, Array<string | RegExp>> | undefined, warnings: string[] }}
 * @throws {TypeError} for options that cannot be mended, saying what to write
 */
export function checkedTargets({ hosts, writeKeys }) {
  const warnings = [];
  if (writeKeys !== undefined && (typeof writeKeys !== 'object' || writeKeys === null || Array.isArray(writeKeys))) {
    throw new TypeError("trackplan: writeKeys must be an object of one key per environment: { production: 'KEY', staging: 'KEY', … }");
  }
  for (const name of Object.keys(writeKeys ?? {})) knownEnvironment('writeKeys', name, ['quarantine']);
  if (hosts === undefined) return { hosts, warnings };
  if (typeof hosts !== 'object' || hosts === null || Array.isArray(hosts)) {
    throw new TypeError("trackplan: hosts must be an object of rules per environment: { production: ['app.example.com'], … }");
  }
  /** @type {Record<string, Array<string | RegExp>>} */
  const normalized = {};
  for (const [environment, given] of Object.entries(hosts)) {
    knownEnvironment('hosts', environment, []);
    let rules = given;
    if (typeof rules === 'string' || rules instanceof RegExp) {
      warnings.push(`hosts.${environment} is one rule, not a list: read as [${JSON.stringify(String(rules))}]`);
      rules = [rules];
    }
    if (!Array.isArray(rules)) throw new TypeError(`trackplan: hosts.${environment} must be a list of hostnames or RegExps`);
    normalized[environment] = rules.map((rule) => hostRule(rule, `hosts.${environment}`, warnings));
  }
  return { hosts: normalized, warnings };
}

/** Refuses an option's key that names no environment (`prod` for `production`, say). */
function knownEnvironment(option, name, others) {
  if (!ENVIRONMENTS.includes(name) && !others.includes(name)) {
    throw new TypeError(`trackplan: ${option}.${name} names no environment: use ${[...ENVIRONMENTS, ...others].join(', ')}`);
  }
}

/**
 * One hostname rule as the page's hostname can match it: a RegExp as it is; a URL, a
 * `host:port` or a Unicode name reduced to the punycode hostname (said in `warnings`); a
 * `*.` wildcard kept; anything else that is not a hostname refused.
 */
function hostRule(rule, where, warnings) {
  if (rule instanceof RegExp) return rule;
  if (typeof rule !== 'string' || rule.trim() === '') throw new TypeError(`trackplan: ${where} holds ${JSON.stringify(rule) ?? String(rule)}: give hostnames such as 'app.example.com', or RegExps`);
  const wildcard = rule.trim().startsWith('*.');
  const text = wildcard ? rule.trim().slice(2) : rule.trim();
  let url;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    throw new TypeError(`trackplan: ${where} holds ${JSON.stringify(rule)}, which is not a hostname: give one such as 'app.example.com'`);
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username) {
    throw new TypeError(`trackplan: ${where} holds ${JSON.stringify(rule)}, a URL with a path: give its hostname, '${url.hostname}'`);
  }
  const hostname = (wildcard ? '*.' : '') + url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (hostname !== canonical(rule)) warnings.push(`${where}: ${JSON.stringify(rule)} is read as the hostname '${hostname}'`);
  return hostname;
}
