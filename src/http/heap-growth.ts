import v8 from 'node:v8';

// Under load most of the server's garbage is short-lived request state that outlived a young
// collection and was promoted to the old generation. With a large heap limit (the default on any
// machine of 16 GB or more), V8 lets the old generation grow to up to 4 times what survived the last
// full collection before it collects again: with about 40 MB live, the API server's resident set
// peaked near 370 MB under the benchmark. Growing by half instead keeps the peak near 250 MB for a
// few more full collections (docs/performance.md, item 4; ADR 34). V8 reads the factor at every
// full collection, so setting it as the process starts is enough; it bounds nothing else, the heap
// limit stays V8's.
export const HEAP_GROWING_PERCENT = 50;

v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
