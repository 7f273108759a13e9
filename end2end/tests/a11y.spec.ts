import { test, expect } from '@playwright/test';
import { expectNoViolations } from './axe';

const PAGES = [
  '/',
  '/?kind=hackathon',
  '/events/past',
  '/events/hackathon-3',
  '/events/scs-community-call',
  '/events/scs-community-call/2023-10-19',
  '/events/team-iaas/2023-10-25',
  '/events/hackathon-3/register',
  '/events/hackathon-3/registered?status=waitlisted&position=3',
  '/events/hackathon-3/topics',
  '/privacy',
  '/events/no-such-event',
  '/r/not-a-valid-link',
];

for (const path of PAGES) {
  test(`no WCAG 2.2 AA violations on ${path}`, async ({ page }) => {
    await page.goto(path);
    await expectNoViolations(page);
  });
}

test('no violations on the registration form showing errors', async ({ page }) => {
  await page.goto('/events/hackathon-3/register');
  await page.locator('form.form button[type=submit]').click();
  await expect(page.locator('.error-summary')).toBeVisible();
  await expectNoViolations(page);
});

test.describe('dark theme', () => {
  test.use({ colorScheme: 'dark' });
  for (const path of ['/', '/events/hackathon-3', '/events/hackathon-3/register', '/events/scs-community-call/2023-10-19']) {
    test(`no violations in the dark theme on ${path}`, async ({ page }) => {
      await page.goto(path);
      await expectNoViolations(page);
    });
  }
});

test('no violations on the sign-in form and the organizer pages', async ({ page }) => {
  await page.goto('/admin/sign-in');
  await expectNoViolations(page);
  const german = (await page.locator('html').getAttribute('lang')) === 'de';
  await page.locator('#field-email').fill(process.env.CONVENE_ORGANIZER_EMAIL ?? '');
  await page.locator('#field-password').fill(process.env.CONVENE_ORGANIZER_PASSWORD ?? '');
  await page.locator('form.form button[type=submit]').click();
  await expect(page).toHaveURL(/\/admin$/);
  for (const path of ['/admin', '/admin/events/hackathon-3', '/admin/events/hackathon-3/check-in', '/admin/events/hackathon-3/topics', '/admin/events/new', '/admin/events/hackathon-3/edit', '/admin/mail', '/admin/organizers']) {
    await page.goto(path);
    await expect(page.locator('.admin-bar')).toBeVisible();
    await expectNoViolations(page);
  }
  expect(await page.locator('h1').first().textContent()).toBe(german ? 'Organisationsteam' : 'Organizers');
});
