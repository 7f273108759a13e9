import { test as base, expect, type BrowserContext, type BrowserContextOptions } from '@playwright/test';

// The site sends a strict Content-Security-Policy on every HTML page (nonces, no inline code,
// styles and images only from the site). Whatever the browser refuses under it is a broken page
// for a visitor, so every spec imports `test` from here: each page it opens is watched, and a
// test fails after it runs when the browser reported any violation.

declare global {
  interface Window {
    /** The CSP violations of this document, newest last (kept for inspection in a trace). */
    __cspViolations?: string[];
    /** Reports a violation to the test (installed by `watchCsp`). */
    __reportCspViolation?: (report: string) => Promise<void>;
  }
}

/** Collects the CSP violations of every page in `context` into `found`. */
async function watchCsp(context: BrowserContext, found: string[]) {
  // The in-page array is lost at the next navigation, so each report also goes to the test at once.
  await context.exposeBinding('__reportCspViolation', ({ page }, report: string) => {
    found.push(`${page.url()}: ${report}`);
  });
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener(
      'securitypolicyviolation',
      (event) => {
        const where = event.sourceFile ? ` at ${event.sourceFile}:${event.lineNumber}` : '';
        const report = `${event.effectiveDirective} refused ${event.blockedURI || 'inline code'}${where} ${event.sample}`.trim();
        window.__cspViolations?.push(report);
        void window.__reportCspViolation?.(report);
      },
      true,
    );
  });
  // Chromium also logs each violation to the console, with JavaScript off too (no init script runs then).
  context.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) {
      found.push(`${message.page()?.url() ?? 'a page'}: console: ${message.text()}`);
    }
  });
}

type Fixtures = {
  /** The CSP violations seen so far in this test's pages; the test fails if any remain at its end. */
  cspViolations: string[];
  /** Opens another browser context (another language or device), watched like the test's own. */
  newContext: (options?: BrowserContextOptions) => Promise<BrowserContext>;
};

export const test = base.extend<Fixtures>({
  cspViolations: [
    async ({ context }, use) => {
      const found: string[] = [];
      await watchCsp(context, found);
      await use(found);
      expect(found, 'the browser reported Content-Security-Policy violations').toEqual([]);
    },
    { auto: true },
  ],
  newContext: async ({ browser, cspViolations }, use) => {
    const opened: BrowserContext[] = [];
    await use(async (options) => {
      const context = await browser.newContext(options);
      opened.push(context);
      await watchCsp(context, cspViolations);
      return context;
    });
    for (const context of opened) await context.close();
  },
});

export { expect };
export type { Page, Locator } from '@playwright/test';
