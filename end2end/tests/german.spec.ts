import { test, expect } from './fixtures';
import { linkIn, waitForMail } from './mail';
import { expectNoViolations } from './axe';

// Runs with Accept-Language: de-DE (project desktop-de).

test('a German browser gets German pages with German dates', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Kommende Termine');
  await expect(page.locator('.agenda-day-heading').first()).toHaveText(
    /^(Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag), \d+\. \S+ \d{4}$/,
  );
  await expect(page.locator('.card-time time').first()).toHaveText(/\d\d:\d\d–\d\d:\d\d (MEZ|MESZ)/);
  await page.goto('/events/scs-community-call');
  await expect(page.getByText('Jeden Donnerstag, 15:05–16:00 (Europe/Berlin)')).toBeVisible();
});

test('the language switch works and stays switched', async ({ page }) => {
  await page.goto('/events/hackathon-3');
  await page.getByRole('navigation', { name: 'Sprache' }).getByRole('link', { name: 'English' }).click();
  await expect(page).toHaveURL(/\/events\/hackathon-3$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { name: 'Registration' })).toBeVisible();
  await page.goto('/events/past');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Past events');
  await page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: 'Deutsch' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vergangene Termine');
});

test('a person confirms, sees, corrects and erases their data in German', async ({ page }) => {
  const response = await page.request.post('/api/v1/events/hackathon-3/registrations', {
    data: { name: 'Lise Meitner', email: 'lise.e2e@example.org', consent: true, locale: 'de' },
  });
  expect(response.status()).toBe(201);
  const manage = linkIn(await waitForMail('lise.e2e@example.org', /.+/), /\/r\/[\w-]+$/);
  await page.goto(manage + '/confirm');
  // A seat, or a place on the waitlist when the story in English has filled the room.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/ bestätigen$/);
  await expectNoViolations(page);
  await page.getByRole('button', { name: /^Meine(n Platz| E-Mail-Adresse) bestätigen$/ }).click();
  await expect(page.getByText('Danke: Ihre E-Mail-Adresse ist bestätigt.')).toBeVisible();
  await page.goto(manage + '/data');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Ihre Daten: /);
  await expectNoViolations(page);
  await page.getByRole('link', { name: 'Meine Angaben berichtigen' }).click();
  await page.getByLabel('Vollständiger Name').fill('');
  await page.getByRole('button', { name: 'Speichern' }).click();
  await expect(page.locator('#field-name-error')).toBeVisible();
  await expectNoViolations(page);
  await page.goto(manage + '/erase');
  await expectNoViolations(page);
  await page.getByRole('button', { name: 'Ja, meine Daten löschen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ihre Daten sind gelöscht');
  await expectNoViolations(page);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('confirming and erasing work in German with plain form posts', async ({ page }) => {
    const response = await page.request.post('/api/v1/events/hackathon-3/registrations', {
      data: { name: 'Emmy Noether', email: 'emmy.e2e@example.org', consent: true, locale: 'de' },
    });
    expect(response.status()).toBe(201);
    const manage = linkIn(await waitForMail('emmy.e2e@example.org', /.+/), /\/r\/[\w-]+$/);
    await page.goto(manage + '/confirm');
    await page.getByRole('button', { name: /^Meine(n Platz| E-Mail-Adresse) bestätigen$/ }).click();
    await expect(page.getByText('Danke: Ihre E-Mail-Adresse ist bestätigt.')).toBeVisible();
    await page.goto(manage + '/erase');
    await page.getByRole('button', { name: 'Ja, meine Daten löschen' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ihre Daten sind gelöscht');
  });

  test('the German form explains its errors in German', async ({ page }) => {
    await page.goto('/events/hackathon-3/register');
    await page.getByRole('button', { name: /Anmelden|Auf die Warteliste/ }).click();
    await expect(page.getByText('Es gibt ein Problem')).toBeVisible();
    await expect(page.locator('#field-name-error')).toContainText('Geben Sie Ihren vollständigen Namen ein.');
    await expect(page.getByLabel('E-Mail-Adresse')).toHaveAttribute('aria-invalid', 'true');
  });
});
