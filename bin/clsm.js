#!/usr/bin/env node
// The `clsm` command: runs the TypeScript CLI through tsx, wherever it is called from.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
