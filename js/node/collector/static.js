/**
 * The collector's static files: any `GET`/`HEAD` that is not an endpoint is served from
 * `staticDir` (the app under test), never from outside it.
 *
 * @module trackplan/collector/static
 */

import fs from 'node:fs';
import path from 'node:path';
import { sendStatus } from './respond.js';

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.yaml': 'text/yaml; charset=utf-8',
  '.yml': 'text/yaml; charset=utf-8',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

/**
 * The file of `root` a request path names: `{ file, stat }`, `{ redirect }` for a
 * directory asked for without its trailing slash, or null when there is none (a `..`
 * segment, a path or a symlink leading out of the root, a missing file).
 * @param {string} root an absolute directory
 * @param {string} pathname the request's path, still URL-encoded
 */
async function resolveFile(root, pathname) {
  let rel;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (rel.includes('\0')) return null;
  // Reject any `..` segment outright instead of letting it normalise away.
  if (rel.split(/[\\/]+/).includes('..')) return null;
  let file = path.resolve(root, '.' + path.posix.normalize('/' + rel));
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  try {
    let stat = await fs.promises.stat(file);
    if (stat.isDirectory()) {
      if (!pathname.endsWith('/')) return { redirect: pathname + '/' };
      file = path.join(file, 'index.html');
      stat = await fs.promises.stat(file);
    }
    if (!stat.isFile()) return null;
    // Do not follow symlinks out of the root.
    const real = await fs.promises.realpath(file);
    const realRoot = await fs.promises.realpath(root);
    if (real !== realRoot && !real.startsWith(realRoot + path.sep)) return null;
    return { file, stat };
  } catch {
    return null;
  }
}

/**
 * Serves the file of `root` that `pathname` names, or a 404.
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {string} root an absolute directory
 * @param {string} pathname
 */
export async function serveStatic(req, res, root, pathname) {
  const found = await resolveFile(root, pathname);
  if (!found) return sendStatus(res, 404);
  if (found.redirect) {
    res.writeHead(301, { Location: found.redirect, 'Cache-Control': 'no-store' });
    return res.end();
  }
  const { file, stat } = /** @type {{ file: string, stat: import('node:fs').Stats }} */ (found);
  const type = MIME_TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': stat.size,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  if (req.method === 'HEAD') return res.end();
  await /** @type {Promise<void>} */ (
    new Promise((resolve) => {
      const stream = fs.createReadStream(file);
      stream.on('error', () => {
        res.destroy();
        resolve();
      });
      stream.on('end', resolve);
      stream.pipe(res);
    })
  );
}
