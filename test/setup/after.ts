import { rm } from 'node:fs/promises';
import { RUN_ROOT } from '../helpers/paths.js';

// After the whole suite: what its files shared (the adversarial summary) goes. Each file already
// scanned its own logs for leaks and removed its own scratch space (test/helpers/leak-scan.ts).

await rm(RUN_ROOT, { recursive: true, force: true });
