import v8 from 'node:v8';

// V8 flags for the process's WebAssembly (Cedar, PGlite), set before any of it is compiled: this
// module is imported first by the modules that load them (src/access/policy-engine.ts,
// src/db/pools.ts).

// Node 20's V8 (11.3) can crash (SIGILL in the deoptimizer, "unreachable code") when TurboFan has
// inlined a call into Cedar's WebAssembly and then deoptimises it: measured under sustained load
// (bench, docs/performance.md) and reproduced by the policy-matrix test. Turning that inlining off
// costs little and removes the crash.
v8.setFlagsFromString('--no-turbo-inline-js-wasm-calls');

// V8 recompiles a WebAssembly function with TurboFan once it has run a budget of its code (1.8 M,
// roughly bytes executed). Loading the policies and opening PGlite pass that budget in functions
// that then hardly run again: with a budget a hundred times larger, Cedar's start-up calls took a
// third to half of the CPU time and opening PGlite about 0.3 s less (docs/performance.md, item 7).
// What a running server keeps executing is still optimised, after its first requests.
v8.setFlagsFromString('--wasm-tiering-budget=180000000');
