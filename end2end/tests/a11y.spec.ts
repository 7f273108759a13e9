import { test, expect } from './fixtures';
import { expectNoViolations } from './axe';
import { ORGANIZER_STATE } from './organizer';

const PAGES = [
  '/',
  '/?kind=hackathon',
  '/events/past',
  '/events/hackathon-3',
  '/events/scs-community-call',
  '/events/scs-community-call/2023-10-19',
  '/events/scs-community-call/2023-10-19/present',
  '/events/team-iaas/2023-10-25',
  '/events/hackathon-3/register',
  '/events/hackathon-3/registered?status=waitlisted&position=3',
  '/events/hackathon-3/topics',
  '/privacy',
  '/events/no-such-event',
  '/r/not-a-valid-link',
  '/data-erased',
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

test.describe('the broadcast preview', () => {
  test.use({ storageState: ORGANIZER_STATE });
  test('shows whom a message reaches before it goes out, without violations', async ({ page }) => {
    await page.goto('/admin/events/hackathon-3');
    await page.locator('#field-subject').fill('Room change');
    await page.locator('#field-message').fill('We moved to room 2.');
    await page.locator('#broadcast-preview').click();
    const check = page.locator('#broadcast-check');
    await expect(check).toBeFocused();
    await expect(check).toContainText('Room change');
    // Whoever is registered by now: the count is said either way; a test mail is offered.
    await expect(check.locator('.lead')).toHaveText(/(It goes to|Sie geht an|Nobody|In den gewählten)/);
    await expect(page.locator('#broadcast-test')).toBeVisible();
    await expectNoViolations(page);
  });
});

test('no violations on the sign-in form', async ({ page }) => {
  await page.goto('/admin/sign-in');
  await expectNoViolations(page);
});

// One test per organizer page, so that a slow or failing page names itself. They share the
// session that the project `organizer-session` signed in once (sign-in is rate limited).
test.describe('organizer pages', () => {
  test.use({ storageState: ORGANIZER_STATE });
  const ORGANIZER_PAGES = [
    '/admin',
    '/admin/events/hackathon-3',
    '/admin/events/hackathon-3/check-in',
    '/admin/events/hackathon-3/scan',
    '/admin/events/hackathon-3/topics',
    '/admin/events/new',
    '/admin/events/hackathon-3/edit',
    '/admin/events/hackathon-3/preview',
    '/admin/events/scs-community-call',
    '/admin/events/scs-community-call/agenda',
    '/admin/events/scs-community-call/agenda/2023-10-19',
    '/admin/mail',
    '/admin/organizers',
    '/admin/account',
    '/admin/audit',
    '/admin/webhooks',
  ];
  for (const path of ORGANIZER_PAGES) {
    test(`no WCAG 2.2 AA violations on ${path}`, async ({ page }, testInfo) => {
      await page.goto(path);
      await expect(page.locator('.admin-bar')).toBeVisible();
      // The shared session carries no language: each project's own Accept-Language decides.
      const german = testInfo.project.use.locale === 'de-DE';
      await expect(page.locator('html')).toHaveAttribute('lang', german ? 'de' : 'en');
      await expectNoViolations(page);
    });
  }
});
