import { defineConfig } from '@playwright/test';

/**
 * The adopter check's browser test: Debian's Chromium, flags as in the repository's playwright.config.ts, against
 * the stock app that scripts/adopter-check.sh started (PLAYWRIGHT_URL). Results go to ADOPTER_CHECK_RESULTS.
 */
const results = process.env.ADOPTER_CHECK_RESULTS ?? 'adopter-check-results';

export default defineConfig({
  testDir: __dirname,
  testMatch: '*.spec.ts',
  timeout: 180_000,
  expect: { timeout: 30_000 },
  forbidOnly: true,
  retries: 0,
  workers: 1,
  reporter: [['list']],
  outputDir: `${results}/playwright`,
  use: {
    baseURL: process.env.PLAYWRIGHT_URL,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    viewport: { width: 1400, height: 900 },
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: process.env.BERTH_CHROMIUM ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
  ],
});
