/**
 * The `hosts` and `writeKeys` options checked in full, and what is unambiguous mended: the
 * set-up check that `environment.js`'s `plainTargets` leaves to this module, which a
 * page whose options need no mending never fetches (`trackplanPlugin`, which cannot
 * wait, imports it).
 *
 * The module imports nothing: what it checks against is handed to it (`Names`), as to
 * `setup-mistakes.js`. A lazy module that imported the shim's modules would make
 * bundlers move them into a chunk of their own, which every page would then fetch.
 *
 * @module trackplan/sdk/targets
 */

/**
 * What the options are checked against: the environments (`protocol.js`) and the form
 * hostnames are matched in (`environment.js`'s `canonical`).
 * @typedef {{ environments: readonly string[], canonical: (hostname: string) => string }} Names
 */

/**
 * The `hosts` and `writeKeys` options, checked and normalized, with a warning for each
 * rule normalized: what is unambiguous is mended (a single rule given as a string, a URL
 * or a `host:port` for a hostname, a Unicode name for the punycode one the page's
 * `location.hostname` has), anything else is a set-up mistake. A production page that
 * silently resolved to development, and its development key, is the mistake the
 * environments exist to prevent.
 * @param {{ hosts?: unknown, writeKeys?: unknown }} options
 * @param {Names} names
 * @returns {{ hosts: Record<string, Array<string | RegExp>> | undefined, warnings: string[] }}
 * @throws {TypeError} for options that cannot be mended, saying what to write
 */
export function checkedTargets({ hosts, writeKeys }, names) {
  const warnings = [];
  if (writeKeys !== undefined && (typeof writeKeys !== 'object' || writeKeys === null || Array.isArray(writeKeys))) {
    throw new TypeError("trackplan: writeKeys must be an object of one key per environment: { production: 'KEY', staging: 'KEY', … }");
  }
  for (const name of Object.keys(writeKeys ?? {})) knownEnvironment('writeKeys', name, ['quarantine'], names);
  if (hosts === undefined) return { hosts, warnings };
  if (typeof hosts !== 'object' || hosts === null || Array.isArray(hosts)) {
    throw new TypeError("trackplan: hosts must be an object of rules per environment: { production: ['app.example.com'], … }");
  }
  /** @type {Record<string, Array<string | RegExp>>} */
  const normalized = {};
  for (const [environment, given] of Object.entries(hosts)) {
    knownEnvironment('hosts', environment, [], names);
    let rules = given;
    if (typeof rules === 'string' || rules instanceof RegExp) {
      warnings.push(`hosts.${environment} is one rule, not a list: read as [${JSON.stringify(String(rules))}]`);
      rules = [rules];
    }
    if (!Array.isArray(rules)) throw new TypeError(`trackplan: hosts.${environment} must be a list of hostnames or RegExps`);
    normalized[environment] = rules.map((rule) => hostRule(rule, `hosts.${environment}`, warnings, names));
  }
  return { hosts: normalized, warnings };
}

/** Refuses an option's key that names no environment (`prod` for `production`, say). */
function knownEnvironment(option, name, others, { environments }) {
  if (!environments.includes(name) && !others.includes(name)) {
    throw new TypeError(`trackplan: ${option}.${name} names no environment: use ${[...environments, ...others].join(', ')}`);
  }
}

/**
 * One hostname rule as the page's hostname can match it: a RegExp as it is; a URL, a
 * `host:port` or a Unicode name reduced to the punycode hostname (said in `warnings`); a
 * `*.` wildcard kept; anything else that is not a hostname refused.
 */
function hostRule(rule, where, warnings, { canonical }) {
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
