#!/usr/bin/env node
// `npm start`: the compiled server (dist/, built at install by scripts/build-server.ts) when it is
// as new as its sources, else the TypeScript sources through tsx (a checkout being edited).
import { importEntry } from './freshness.js';

await importEntry('src/server');
