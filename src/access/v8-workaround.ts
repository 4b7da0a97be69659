import v8 from 'node:v8';

// Node 20's V8 (11.3) can crash (SIGILL in the deoptimizer, "unreachable code") when TurboFan has
// inlined a call into Cedar's WebAssembly and then deoptimises it: measured under sustained load
// (bench, docs/performance.md) and reproduced by the policy-matrix test. Turning that inlining off
// costs little and removes the crash. Set before any WebAssembly is compiled: this module is
// imported first by the module that loads Cedar.
v8.setFlagsFromString('--no-turbo-inline-js-wasm-calls');
