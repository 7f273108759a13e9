import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, expect } from './fixtures';
import { expectNoViolations } from './axe';
import { ORGANIZER_STATE } from './organizer';

// An admin registers a webhook endpoint at a receiver this test starts, makes an event, and
// sees the delivery in the endpoint's log; then removes the endpoint. It adds and removes the
// site's one endpoint, so it runs once (desktop). The signatures are checked with the Standard
// Webhooks reference library in server/tests/webhooks.rs.

test.describe('webhooks', () => {
  test.use({ storageState: ORGANIZER_STATE });

  test('an admin registers an endpoint, which gets the new event, and removes it', async ({ page }) => {
    test.slow(); // Four form posts and two axe runs.
    const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
    const receiver = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((listening) => receiver.listen(0, '127.0.0.1', listening));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/convene`;
    try {
      await page.goto('/admin');
      await page.getByRole('link', { name: 'Webhooks' }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Webhooks');

      // Nothing filled in: each problem next to its field.
      await page.getByRole('button', { name: 'Add endpoint' }).click();
      await expect(page.locator('#field-url-error')).toContainText('This field is required.');
      await expect(page.locator('#field-kinds-error')).toContainText('This field is required.');
      await expectNoViolations(page);

      await page.getByLabel('Address (URL)').fill(url);
      await page.getByLabel('Description').fill('Playwright receiver');
      await page.getByRole('checkbox', { name: 'event.created' }).check();
      await page.getByRole('button', { name: 'Add endpoint' }).click();
      await expect(page.getByText('The endpoint gets messages from the next change on.')).toBeVisible();
      const endpoint = page.locator('section', { has: page.getByRole('heading', { name: url }) });
      await expect(endpoint.getByText('Types: event.created')).toBeVisible();
      await expect(endpoint.getByText('Gets no personal data.')).toBeVisible();

      // A new event (in the past and unpublished: no agenda shows it) is told to the receiver.
      await page.goto('/admin/events/new');
      await page.getByLabel('Title', { exact: true }).fill('Webhook Check');
      await page.getByLabel('Address', { exact: true }).fill('webhook-check');
      await page.getByLabel('Starts', { exact: true }).fill('2020-03-02T10:00');
      await page.getByLabel('Ends', { exact: true }).fill('2020-03-02T11:00');
      await page.getByLabel('People register for this event').uncheck();
      await page.getByLabel('Collect topics (a topic board)').uncheck();
      await page.getByRole('button', { name: 'Save the event' }).click();
      await expect(page).toHaveURL(/\/admin\/events\/webhook-check\/edit\?notice=event_saved/);
      await expect.poll(() => received.length, { timeout: 30_000 }).toBeGreaterThan(0);
      const message = JSON.parse(received[0].body);
      expect(message.type).toBe('event.created');
      expect(message.data.event.slug).toBe('webhook-check');
      expect(message.data.published).toBe(false);
      expect(received[0].headers['webhook-id']).toMatch(/^msg_\d+$/);
      expect(received[0].headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);

      // The endpoint's log shows the delivery; its secret is one click away.
      await page.goto('/admin/webhooks');
      const log = page.locator('section', { has: page.getByRole('heading', { name: url }) });
      await expect(log.getByRole('cell', { name: 'delivered' })).toBeVisible();
      await log.getByText('Signing secret').click();
      await expect(log.locator('.webhook-secret')).toHaveText(/^whsec_[A-Za-z0-9+/]+=*$/);
      await expectNoViolations(page);

      await log.getByRole('button', { name: /^Remove endpoint/ }).click();
      await expect(page.getByText('The endpoint and its delivery log are removed.')).toBeVisible();
      await expect(page.getByRole('heading', { name: url })).toHaveCount(0);
    } finally {
      receiver.close();
    }
  });
});
