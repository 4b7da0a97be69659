// How a test starts Node.js for a child process (the server, the clsm command, Playwright, a
// script): without the hooks tap adds to every child's NODE_OPTIONS, whatever environment the test
// gives (process tracking for coverage, which this suite does not measure). They cost each child
// some 0.7 s of start-up; `env -u NODE_OPTIONS` drops them as the child starts.

export const NODE = 'env';

export const nodeArgs = (args: readonly string[]): string[] => [
  '-u',
  'NODE_OPTIONS',
  process.execPath,
  ...args,
];
