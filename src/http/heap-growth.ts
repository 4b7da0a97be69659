import v8 from 'node:v8';

// Under load most of the server's garbage is short-lived request state that outlived a young
// collection and was promoted to the old generation. With a large heap limit (the default on any
// machine of 16 GB or more), V8 lets the old generation grow to up to 4 times what survived the last
// full collection before it collects again: with about 40 MB live, the API server's resident set
// peaked near 370 MB under the benchmark. Growing by one and a half times keeps the peak near
// 220–260 MB; growing by half kept it near 180–200 MB but its more frequent full collections put
// the write's p99 at 16 connections above 60 ms (docs/performance.md, item 4; ADRs 34 and 41). V8
// reads the factor at every full collection, so setting it as the process starts is enough; it
// bounds nothing else, the heap limit stays V8's.
export const HEAP_GROWING_PERCENT = 150;

v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
