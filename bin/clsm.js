#!/usr/bin/env node
// The `clsm` command: the compiled CLI (dist/, built at install by scripts/build-server.ts) when it
// is as new as its sources, else the TypeScript sources through tsx (a checkout being edited).
import { compiledIsFresh } from './freshness.js';

if (compiledIsFresh()) {
  await import('../dist/src/cli/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
