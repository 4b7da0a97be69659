import { defineConfig } from '@playwright/test';

// Browser tests of the web app, driven by test/browser/web-app.test.ts (run by `npm test`), which
// starts the real server and passes its address. Debian's Chromium: `npx playwright install`
// cannot download a browser here.

export default defineConfig({
  testDir: 'test/browser',
  testMatch: '*.spec.ts',
  outputDir: 'test-results',
  timeout: 150_000,
  expect: { timeout: 30_000 },
  workers: 1,
  retries: 0,
  reporter: 'list',
  use: {
    baseURL: process.env.CLSM_WEB_URL,
    browserName: 'chromium',
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
    locale: 'fr-FR',
    screenshot: 'only-on-failure',
  },
});
