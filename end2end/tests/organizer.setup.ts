import * as fs from 'node:fs';
import * as path from 'node:path';
import { test as setup, expect } from './fixtures';
import { ORGANIZER_STATE, signInAsOrganizer } from './organizer';

// Project `organizer-session`: the one sign-in that every project's organizer pages share.
setup('signs in as the demo organizer for the organizer pages of every project', async ({ page }) => {
  await page.goto('/admin/sign-in');
  await signInAsOrganizer(page);
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.locator('.admin-bar')).toBeVisible();
  const state = await page.context().storageState();
  // Only the session: a language cookie would override the German projects' Accept-Language.
  const session = state.cookies.filter((cookie) => cookie.name === 'convene_session');
  expect(session, 'one session cookie after signing in').toHaveLength(1);
  fs.mkdirSync(path.dirname(ORGANIZER_STATE), { recursive: true });
  fs.writeFileSync(ORGANIZER_STATE, JSON.stringify({ cookies: session, origins: [] }, null, 2));
});
