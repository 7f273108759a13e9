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

const desktop = { viewport: { width: 1280, height: 800 } };
const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

export default defineConfig({
  testDir: './tests',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: true,
  reporter: [['list']],
  // Budgets, sized on a 2-core machine of the project's kind (2026-12-02) with room for one twice
  // as slow: there a test takes 2-8 s (the longest, marked test.slow(), 14 s); a page needs up to
  // 3 s to hydrate the debug wasm and axe needs up to 3.5 s while the other worker runs too. No
  // test asserts how long anything took: these only bound how long a failure takes to show.
  timeout: 60_000,
  expect: { timeout: 20_000 },
  use: {
    baseURL,
    actionTimeout: 20_000,
    navigationTimeout: 30_000,
    launchOptions: chromium,
    // A zone other than the events' own, so the visitor's local time is shown after hydration.
    timezoneId: 'America/New_York',
    locale: 'en-GB',
  },
  projects: [
    // Signs in once for every project's organizer pages (sign-in is rate limited), see tests/organizer.ts.
    { name: 'organizer-session', testMatch: /organizer\.setup\.ts/ },
    {
      name: 'desktop',
      use: desktop,
      testIgnore: /(registration|german|security)\.spec\.ts/,
      dependencies: ['organizer-session'],
    },
    // The registration story changes the one demo event's seats and waitlist: it runs once, on
    // desktop, and nothing else registers for that event while it runs.
    { name: 'story', use: desktop, testMatch: /registration\.spec\.ts/, dependencies: ['organizer-session'] },
    // Registers people with hostile names for the same event: after the story, so that they join
    // its waitlist behind the story's people instead of taking their places.
    {
      name: 'security',
      use: desktop,
      testMatch: /security\.spec\.ts/,
      dependencies: ['organizer-session', 'story'],
    },
    {
      name: 'phone',
      use: phone,
      // The call story changes the demo series' sections, the webhooks story adds and removes
      // the site's endpoint: they run once, on desktop.
      testIgnore: /(registration|german|security|call|webhooks)\.spec\.ts/,
      dependencies: ['organizer-session'],
    },
    // German visitors (Accept-Language: de-DE): accessibility and the German pages.
    {
      name: 'desktop-de',
      use: { ...desktop, locale: 'de-DE' },
      testMatch: /(a11y|german)\.spec\.ts/,
      dependencies: ['organizer-session'],
    },
    {
      name: 'phone-de',
      use: { ...phone, locale: 'de-DE' },
      testMatch: /a11y\.spec\.ts/,
      dependencies: ['organizer-session'],
    },
  ],
});
