import { test, expect, type Page } from './fixtures';
import { ORGANIZER_STATE } from './organizer';

// Issue #12: a registrant's name ends up in the organizer's page title. Names that try to
// leave the <title> element must show as text and run nothing, with or without hydration.
// Project `security` runs after the registration story (which counts on the hackathon's seats
// and waitlist order), with the session of `organizer-session`; three registrations in all.

test.use({ storageState: ORGANIZER_STATE });

const NAMES = [
  { label: 'an image with an onerror handler', name: '</title><img src=x onerror="window.__xss=1">' },
  { label: 'a script inside and after the title', name: '<script>window.__xss=1</script></title><script>window.__xss=1</script>' },
  { label: 'character references', name: 'Q&amp;A &lt;team&gt; &#60;b&#62;' },
];

/** What must hold on a page that shows `name`: no element came from it, the title shows it as text. */
async function expectNameShownAsText(page: Page, name: string) {
  // Counted once, not retried: the page has loaded, and such an element must never have existed.
  expect(await page.locator('img[src="x"]').count(), 'img elements made from the name').toBe(0);
  const injectedScripts = await page.evaluate(() => [...document.scripts].filter((s) => s.text.trim() === 'window.__xss=1').length);
  expect(injectedScripts, 'script elements made from the name').toBe(0);
  expect(await page.evaluate(() => document.title), 'the title shows the name as text').toContain(name);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
}

for (const [n, { label, name }] of NAMES.entries()) {
  test(`a name with ${label} shows as text on the organizer's person page`, async ({ page, newContext }) => {
    const email = `xss-${n}-${Date.now()}@example.org`;
    const registered = await page.request.post('/api/v1/events/hackathon-3/registrations', {
      data: { name, email, consent: true },
    });
    expect(registered.status(), await registered.text()).toBe(201);

    const dialogs: string[] = [];
    page.on('dialog', async (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      await dialog.dismiss();
    });
    await page.goto('/admin/events/hackathon-3');
    const person = page.locator('#seated, #waiting').getByRole('row').filter({ hasText: email }).getByRole('link');
    await expect(person).toHaveText(name);
    const href = await person.getAttribute('href');
    expect(href).toMatch(/^\/admin\/events\/hackathon-3\/registrations\/[\w-]+$/);

    // The page as the server sent it: with JavaScript off, hydration cannot set the title again.
    const serverRendered = await (await newContext({ javaScriptEnabled: false, storageState: ORGANIZER_STATE })).newPage();
    await serverRendered.goto(href!);
    await expectNameShownAsText(serverRendered, name);

    // With JavaScript: nothing ran while the page loaded or hydrated, and hydration keeps the text.
    await page.goto(href!);
    await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
    expect(dialogs, 'dialogs opened by the page').toEqual([]);
    expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss), 'window.__xss').toBeUndefined();
    await expectNameShownAsText(page, name);
  });
}

/** A CSP header's directives, by name, each with its sources. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...sources]) => [name.toLowerCase(), sources] as [string, string[]]),
  );
}

test('HTML pages carry a strict Content-Security-Policy with a new nonce in each response', async ({ page }) => {
  const nonces = new Set<string>();
  for (const path of ['/', '/events/hackathon-3', '/events/hackathon-3/register', '/admin/sign-in', '/admin/events/hackathon-3', '/']) {
    const response = await page.goto(path);
    const policy = response?.headers()['content-security-policy'] ?? '';
    expect(policy, `the CSP header of ${path}`).toContain("script-src 'nonce-");
    const csp = directives(policy);
    const scripts = csp.get('script-src') ?? [];
    expect(scripts, `script-src of ${path}`).toEqual(expect.arrayContaining(["'strict-dynamic'", "'wasm-unsafe-eval'"]));
    expect(scripts, `script-src of ${path}`).not.toContain("'unsafe-inline'");
    expect(scripts, `script-src of ${path}`).not.toContain("'unsafe-eval'");
    expect(csp.get('object-src'), `object-src of ${path}`).toEqual(["'none'"]);
    expect(csp.get('base-uri'), `base-uri of ${path}`).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors'), `frame-ancestors of ${path}`).toEqual(["'none'"]);
    expect(csp.get('form-action'), `form-action of ${path}`).toEqual(["'self'"]);
    for (const source of csp.get('style-src') ?? ['(missing)']) {
      expect(["'self'"], `style-src of ${path}: styles only from the site`).toContain(source);
    }
    for (const source of csp.get('img-src') ?? ['(missing)']) {
      expect(["'self'", 'data:'], `img-src of ${path}: images only from the site`).toContain(source);
    }
    nonces.add(scripts.find((source) => source.startsWith("'nonce-"))!);
    // The page still hydrates under the policy (the fixture fails the test on any violation).
    await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  }
  expect(nonces.size, 'a new nonce in each of the 6 responses').toBe(6);
});
