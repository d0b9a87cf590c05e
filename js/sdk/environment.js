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

/** The environments, one Segment source each. */
export const ENVIRONMENTS = ['production', 'staging', 'development', 'test'];

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
 * Resolves the environment of a page. Pure: pass the hostname (in a browser,
 * `location.hostname`).
 *
 * @param {{ environment?: string, hosts?: Partial<Record<string, Array<string | RegExp>>>, hostname?: string }} input
 * @returns {'production' | 'staging' | 'development' | 'test'}
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
      if (Array.isArray(rules) && rules.some((rule) => matches(rule, host))) return env;
    }
  }
  // Local hosts (localhost, 127.0.0.1, [::1], *.local) and every unknown host are
  // development: the production key is never used by accident.
  return 'development';
}
