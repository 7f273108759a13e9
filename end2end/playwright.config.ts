import { defineConfig } from '@playwright/test';

// Started by server/tests/browser.rs, which runs convene with demo data and passes its URL.
const baseURL = process.env.CONVENE_BASE_URL ?? 'http://127.0.0.1:3000';

// Debian's Chromium; Playwright's own browser download cannot be reached here.
const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

export default defineConfig({
  testDir: './tests',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: true,
  reporter: [['list']],
  timeout: 30_000,
  use: {
    baseURL,
    launchOptions: chromium,
    // A zone other than the events' own, so the visitor's local time is shown after hydration.
    timezoneId: 'America/New_York',
    locale: 'en-GB',
  },
  projects: [
    { name: 'desktop', use: { viewport: { width: 1280, height: 800 } }, testIgnore: /german\.spec\.ts/ },
    {
      name: 'phone',
      use: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
      // The registration story changes the one demo event's seats: it runs once, on desktop.
      testIgnore: /(registration|german)\.spec\.ts/,
    },
    // German visitors (Accept-Language: de-DE): accessibility and the German pages.
    {
      name: 'desktop-de',
      use: { viewport: { width: 1280, height: 800 }, locale: 'de-DE' },
      testMatch: /(a11y|german)\.spec\.ts/,
    },
    {
      name: 'phone-de',
      use: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'de-DE' },
      testMatch: /a11y\.spec\.ts/,
    },
  ],
});
