import { test, expect, type Page } from './fixtures';

// The CSP watch in fixtures.ts must notice what a policy refuses, or every spec's "no violation"
// would pass for the wrong reason. Here the test itself adds a policy that refuses the site's
// scripts and stylesheet, checks that the watch saw it, then clears the list it checked.

async function underRefusingPolicy(page: Page) {
  await page.route('**/events/past', async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers(), 'content-security-policy': "script-src 'none'; style-src 'none'" };
    await route.fulfill({ response, headers });
  });
  await page.goto('/events/past');
}

test('the CSP watch reports refused scripts and styles from the page and the console', async ({ page, cspViolations }) => {
  await underRefusingPolicy(page);
  await expect.poll(() => cspViolations.filter((v) => !v.includes(': console: ')).length, 'reports from the page').toBeGreaterThan(0);
  await expect.poll(() => cspViolations.filter((v) => v.includes(': console: ')).length, 'reports from the console').toBeGreaterThan(0);
  expect(cspViolations.join('\n')).toMatch(/script-src/);
  expect(cspViolations.join('\n')).toMatch(/style-src/);
  cspViolations.length = 0;
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the CSP watch reports a refused stylesheet from the console', async ({ page, cspViolations }) => {
    await underRefusingPolicy(page);
    await expect.poll(() => cspViolations.join('\n'), 'console reports').toMatch(/style/);
    cspViolations.length = 0;
  });
});
