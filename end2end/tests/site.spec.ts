import { test, expect, type Page } from './fixtures';

/** Collects console errors and uncaught exceptions of a page. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}

async function hydrated(page: Page) {
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
}

test('home page lists the demo events', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Upcoming events' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Third Community Hackathon', exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'SCS Community Call' }).first()).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
});

test('hydration shows the visitor local time without console errors', async ({ page }) => {
  const errors = watchErrors(page);
  for (const path of ['/', '/events/hackathon-3', '/events/scs-community-call/2023-10-19', '/events/past']) {
    await page.goto(path);
    await hydrated(page);
    await expect(page.locator('.local-time').first()).toContainText('Your time:');
  }
  expect(errors).toEqual([]);
});

test('navigates from the agenda to an event page', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await hydrated(page);
  await page.getByRole('link', { name: 'Third Community Hackathon', exact: true }).click();
  await expect(page).toHaveURL(/\/events\/hackathon-3$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Third Community Hackathon');
  await expect(page.getByText('Cloud&Heat Technologies, Dresden')).toBeVisible();
  await expect(page).toHaveTitle('Third Community Hackathon · convene');
  expect(errors).toEqual([]);
});

test('kind filter works in place after hydration', async ({ page }) => {
  await page.goto('/');
  await hydrated(page);
  // A full page load would lose this marker; client-side filtering keeps it.
  await page.evaluate(() => ((window as any).__stayed = true));
  await page.getByRole('navigation', { name: 'Filter by kind' }).getByRole('link', { name: 'Hackathon' }).click();
  await expect(page).toHaveURL(/\?kind=hackathon$/);
  // Only hackathons (other specs add some of their own while this one runs).
  await expect(page.locator('.card[data-kind="meeting"]')).toHaveCount(0);
  await expect(page.locator('.card:not([data-kind="hackathon"])')).toHaveCount(0);
  await expect(page.locator('.card[data-kind="hackathon"]').filter({ hasText: 'Third Community Hackathon' })).toHaveCount(1);
  await expect(page.getByRole('link', { name: 'Hackathon', exact: true })).toHaveAttribute('aria-current', 'page');
  expect(await page.evaluate(() => (window as any).__stayed)).toBe(true);

  await page.getByRole('link', { name: 'All', exact: true }).click();
  await expect(page.locator('.card[data-kind="meeting"]').first()).toBeVisible();
});

test('calendar links subscribe to the feed, add a copy, or serve the iCalendar file', async ({ page }) => {
  await page.goto('/events/hackathon-3');
  const box = page.locator('.calendar-box');
  await expect(box.getByRole('link', { name: 'Subscribe (Apple Calendar, Thunderbird, …)' }))
    .toHaveAttribute('href', /^webcal:\/\/.+\/events\/hackathon-3\/event\.ics$/);
  await expect(box.getByRole('link', { name: 'Subscribe in Google Calendar' }))
    .toHaveAttribute('href', /^https:\/\/calendar\.google\.com\/calendar\/render\?cid=webcal%3A\/\//);
  await expect(box.getByRole('link', { name: 'Add a copy to Google Calendar' }))
    .toHaveAttribute('href', /action=TEMPLATE&text=Third%20Community%20Hackathon&dates=\d{8}T\d{6}Z\/\d{8}T\d{6}Z/);
  await expect(box.getByRole('link', { name: 'Add a copy to Outlook' })).toHaveAttribute('href', /^https:\/\/outlook\.live\.com\//);
  const link = box.getByRole('link', { name: 'Download the calendar file (.ics)' });
  const href = await link.getAttribute('href');
  expect(href).toBe('/events/hackathon-3/event.ics');
  const response = await page.request.get(href!);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('text/calendar');
  const body = await response.text();
  expect(body).toContain('BEGIN:VCALENDAR');
  expect(body).toContain('SUMMARY:Third Community Hackathon');
});

test('unknown event shows the 404 page', async ({ page }) => {
  const response = await page.goto('/events/no-such-event');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
  await page.getByRole('link', { name: 'See upcoming events' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Upcoming events');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('browsing and filtering work as plain pages', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('link', { name: 'Third Community Hackathon', exact: true })).toBeVisible();
    await page.getByRole('navigation', { name: 'Filter by kind' }).getByRole('link', { name: 'Community call' }).click();
    await expect(page).toHaveURL(/\?kind=community_call$/);
    await expect(page.locator('.card[data-kind="hackathon"]')).toHaveCount(0);
    await expect(page.locator('.card[data-kind="community_call"]').first()).toBeVisible();

    await page.goto('/events/scs-community-call');
    await expect(page.getByText('Every Thursday, 15:05–16:00 (Europe/Berlin)')).toBeVisible();
    await page.getByRole('link', { name: /19 Oct 2023/ }).click();
    await expect(page.getByRole('heading', { name: 'Team IaaS' }).first()).toBeVisible();
  });
});
