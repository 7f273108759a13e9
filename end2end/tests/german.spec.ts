import { test, expect } from './fixtures';

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

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the German form explains its errors in German', async ({ page }) => {
    await page.goto('/events/hackathon-3/register');
    await page.getByRole('button', { name: /Anmelden|Auf die Warteliste/ }).click();
    await expect(page.getByText('Es gibt ein Problem')).toBeVisible();
    await expect(page.locator('#field-name-error')).toContainText('Geben Sie Ihren vollständigen Namen ein.');
    await expect(page.getByLabel('E-Mail-Adresse')).toHaveAttribute('aria-invalid', 'true');
  });
});
