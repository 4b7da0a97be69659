import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Test } from 'tap';

// A server that lies: an HTTP proxy in front of the real API (on a loopback port of its own) that
// forwards every request and lets a test rewrite the JSON of chosen requests and responses, by
// method and path. The SDK under test is pointed at the proxy's URL and cannot tell the difference,
// which is the point: what the device checks must hold whatever the server answers.

type Json = any;

/** Rewrites a JSON body; returns the body to pass on (the same object, changed, or another). */
export type Rewrite = (body: Json, path: string) => unknown;

interface Rule {
  method: string;
  path: RegExp;
  rewrite: Rewrite;
}

export interface LyingProxy {
  /** The proxy's base URL, to give the SDK instead of the API's. */
  url: string;
  /** Rewrites the JSON responses to `method` on paths matching `path` (the query left out). */
  response(method: string, path: RegExp, rewrite: Rewrite): void;
  /** Rewrites the JSON bodies of requests to `method` on paths matching `path`. */
  request(method: string, path: RegExp, rewrite: Rewrite): void;
  /** Drops every rule: the proxy forwards faithfully again. */
  honest(): void;
  /** How many responses a rewrite was applied to (a test checks that its lie was told). */
  rewritten(): number;
}

const HOP_BY_HOP = [
  'connection',
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'keep-alive',
  'host',
];

export async function lyingProxy(t: Test, upstream: string): Promise<LyingProxy> {
  const responseRules: Rule[] = [];
  const requestRules: Rule[] = [];
  let applied = 0;
  const find = (rules: Rule[], method: string, path: string) =>
    rules.filter((r) => r.method === method && r.path.test(path));

  const server: Server = createServer((req, res) => {
    forward(req)
      .then(({ status, headers, body }) => {
        res.writeHead(status, headers);
        res.end(body);
      })
      .catch((err: unknown) => {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`lying proxy: ${(err as Error).message}`);
      });
  });

  async function forward(req: IncomingMessage) {
    const method = req.method ?? 'GET';
    const target = new URL(req.url ?? '/', upstream);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: Buffer | undefined = chunks.length === 0 ? undefined : Buffer.concat(chunks);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers))
      if (typeof value === 'string' && !HOP_BY_HOP.includes(name)) headers[name] = value;
    for (const rule of find(requestRules, method, target.pathname))
      if (body !== undefined)
        body = Buffer.from(JSON.stringify(rule.rewrite(JSON.parse(body.toString()), target.pathname)));
    const answer = await fetch(target, { method, headers, body, redirect: 'manual' });
    let text = Buffer.from(await answer.arrayBuffer());
    const rules = find(responseRules, method, target.pathname);
    const isJson = answer.headers.get('content-type')?.includes('json') ?? false;
    if (rules.length > 0 && isJson && text.length > 0) {
      let json: Json = JSON.parse(text.toString());
      for (const rule of rules) json = rule.rewrite(json, target.pathname);
      text = Buffer.from(JSON.stringify(json));
      applied += 1;
    }
    const out: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      if (!HOP_BY_HOP.includes(name)) out[name] = value;
    });
    out['content-length'] = String(text.length);
    return { status: answer.status, headers: out, body: text };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  );
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    response: (method, path, rewrite) => {
      responseRules.push({ method, path, rewrite });
    },
    request: (method, path, rewrite) => {
      requestRules.push({ method, path, rewrite });
    },
    honest: () => {
      responseRules.length = 0;
      requestRules.length = 0;
    },
    rewritten: () => applied,
  };
}
