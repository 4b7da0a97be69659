import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { problem, sendProblem } from './problem.js';

// The web app (web/, built by Vite into web/dist) served by the API itself: same origin, so the
// browser talks to /v1 without CORS, under a Content-Security-Policy that lets only this server's
// own files run. 'wasm-unsafe-eval' is for libsodium's WebAssembly, nothing else. Connections go
// to this server and to the statistics server, where the bilan is read (docs/adr/0024). The API
// keeps its own policy (default-src 'none') and `no-store`.

/** The app's policy: its own files, and connections to itself and to the statistics server. */
export function webAppCsp(statsPublicUrl: string): string {
  return [
    "default-src 'none'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${new URL(statsPublicUrl).origin}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Where the app finds what the build cannot know: the statistics server's address on this site. */
export const WEB_APP_SETTINGS_PATH = '/app-settings.json';

// Vite names every file under assets/ after its content hash: a changed file gets a new name.
const IMMUTABLE = 'public, max-age=31536000, immutable';
// index.html names the current hashed files: always revalidated, so a new release shows at once.
const REVALIDATE = 'no-cache';

const isApi = (url: string) => url === '/v1' || url.startsWith('/v1/');
const isAsset = (url: string) => url.startsWith('/assets/');

/** Serves the built app under / when `root` holds an index.html; returns whether it did. */
export async function registerWebApp(
  app: FastifyInstance,
  root: string,
  settings: { statsPublicUrl: string },
): Promise<boolean> {
  if (!existsSync(path.join(root, 'index.html'))) return false;
  const csp = webAppCsp(settings.statsPublicUrl);
  await app.register(async (web) => {
    // The app's files are public, as a login page is; what they show comes from /v1, authenticated.
    web.addHook('onRoute', (route) => {
      route.config = { ...route.config, public: true };
      route.schema = { ...route.schema, hide: true };
    });
    // Routes for the files present at start-up only: nothing else on disk is reachable.
    await web.register(fastifyStatic, { root, wildcard: false, index: false, cacheControl: false });
    web.addHook('onSend', (request, reply, payload, done) => {
      const url = request.url.split('?')[0] ?? '';
      if (isAsset(url) && reply.statusCode === 200) void reply.header('cache-control', IMMUTABLE);
      // Workers take the policy of their own script: the app's files all carry the app's policy.
      if (reply.statusCode < 400) void reply.header('content-security-policy', csp);
      const type = reply.getHeader('content-type');
      if (typeof type === 'string' && type.startsWith('text/html'))
        void reply.header('cache-control', REVALIDATE);
      done(null, payload);
    });
    const index = (_request: FastifyRequest, reply: FastifyReply) => reply.sendFile('index.html');
    web.get('/', index);
    // Served rather than built in, so that one build runs on every site; the index stays the
    // build's own bytes.
    web.get(WEB_APP_SETTINGS_PATH, () => ({ statsServer: settings.statsPublicUrl }));
    // The app's own paths (/situations/…) are routes of the app: any of them loads it. Unknown API
    // routes and missing assets stay 404 in the API's format.
    web.get('/*', (request, reply) => {
      const url = request.url.split('?')[0] ?? '';
      if (isApi(url) || isAsset(url))
        return sendProblem(reply, problem(request, 'NOT_FOUND', 'no such route'));
      return index(request, reply);
    });
  });
  return true;
}
