import * as fs from 'node:fs';
import * as path from 'node:path';
import { test as setup, expect } from './fixtures';
import { ORGANIZER_STATE, signInThroughProvider } from './organizer';

// Project `organizer-session`: the one sign-in that every project's organizer pages share. It
// goes through the community's identity provider (single sign-on, a real OpenID Provider that
// server/tests/browser.rs starts), so the whole organizer story runs on that session; the
// registration story signs in with the password form.
setup('signs in as the demo organizer through single sign-on for the organizer pages of every project', async ({ page }) => {
  await page.goto('/admin/sign-in');
  await signInThroughProvider(page);
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.locator('.admin-bar')).toContainText('Signed in as organizer@example.org (Admin)');
  const state = await page.context().storageState();
  // Only the session: a language cookie would override the German projects' Accept-Language.
  const session = state.cookies.filter((cookie) => cookie.name === 'convene_session');
  expect(session, 'one session cookie after signing in').toHaveLength(1);
  fs.mkdirSync(path.dirname(ORGANIZER_STATE), { recursive: true });
  fs.writeFileSync(ORGANIZER_STATE, JSON.stringify({ cookies: session, origins: [] }, null, 2));
});
