import type { ReadCase, WriterClsm } from '../lib/fixtures.js';
import type { HttpRunOptions } from '../lib/http-runs.js';
import type { ServerUnderTest } from '../lib/server-process.js';

/** What the HTTP scenarios share: the forked server, the prepared data, how long to run. */
export interface HttpBench {
  server: ServerUnderTest;
  /** The first is the "one CLSM" of single-CLSM runs; all of them spread the load. */
  clsms: WriterClsm[];
  readCase: ReadCase;
  options: HttpRunOptions;
}

export const bearer = (token: string | undefined, json = false): Record<string, string> => {
  if (token === undefined) throw new Error('not enough login sessions prepared for the connections');
  return { authorization: `Bearer ${token}`, ...(json ? { 'content-type': 'application/json' } : {}) };
};
