/**
 * Installs what building and testing need when it is missing: the wasm32 target,
 * wasm-bindgen-cli at the version in Cargo.lock, the npm dependencies, and (for tests)
 * Debian's Chromium and ChromeDriver. Every step is skipped when already satisfied, so
 * `npm start` and `npm test` work on a fresh machine and cost nothing on a warm one.
 */

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const root = fileURLToPath(new URL('..', import.meta.url));

/** Runs a command in the repository, inheriting stdio; throws when it fails. */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`})`);
  }
}

function output(command, args) {
  try {
    return execFileSync(command, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
}

/** The wasm-bindgen version Cargo.lock pins (the CLI must match it exactly). */
export function lockedWasmBindgenVersion() {
  const lock = readFileSync(new URL('../Cargo.lock', import.meta.url), 'utf8');
  const match = lock.match(/name = "wasm-bindgen"\nversion = "([^"]+)"/);
  if (!match) throw new Error('Cargo.lock has no wasm-bindgen entry');
  return match[1];
}

function ensureRustTarget() {
  if (!output('rustup', ['target', 'list', '--installed']).includes('wasm32-unknown-unknown')) {
    console.log('› installing the wasm32-unknown-unknown target');
    run('rustup', ['target', 'add', 'wasm32-unknown-unknown']);
  }
}

function ensureWasmBindgen() {
  const version = lockedWasmBindgenVersion();
  if (!output('wasm-bindgen', ['--version']).includes(version)) {
    console.log(`› installing wasm-bindgen-cli ${version} (a few minutes, once)`);
    run('cargo', ['install', 'wasm-bindgen-cli', '--version', version]);
  }
}

function ensureNodeModules() {
  const marker = new URL('../node_modules/.package-lock.json', import.meta.url);
  const lock = new URL('../package-lock.json', import.meta.url);
  if (!existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs) {
    console.log('› installing npm dependencies (npm ci: exactly the lock file, which nothing rewrites)');
    run('npm', ['ci', '--no-audit', '--no-fund']);
  }
}

function ensureChromium() {
  if (existsSync('/usr/bin/chromium') && existsSync('/usr/bin/chromedriver')) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      'Chromium and ChromeDriver are needed for the browser tests: install the Debian packages ' +
        '`chromium` and `chromium-driver` (apt-get install -y chromium chromium-driver), then run npm test again.',
    );
  }
  console.log('› installing Chromium and ChromeDriver from Debian');
  run('apt-get', ['update']);
  run('apt-get', ['install', '-y', 'chromium', 'chromium-driver'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

/**
 * Installs whatever is missing.
 * @param {{ browser?: boolean }} options `browser`: also Chromium and ChromeDriver
 */
export function ensureToolchain({ browser = false } = {}) {
  ensureRustTarget();
  ensureWasmBindgen();
  ensureNodeModules();
  if (browser) ensureChromium();
}
