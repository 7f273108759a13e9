import * as path from 'node:path';
import type { Page } from '@playwright/test';

/**
 * The demo organizer's signed-in browser state (only the session cookie), written once per run
 * by organizer.setup.ts and used by the tests of organizer pages: sign-in is rate limited (10
 * attempts per address and per client in 15 minutes), so the suite signs in twice in all (there,
 * through single sign-on, and in the registration story, which tests the password form).
 */
export const ORGANIZER_STATE = path.join(__dirname, '..', '.auth', 'organizer.json');

/** The demo organizer's address and password (new at each server start; server/tests/browser.rs passes them). */
export function organizerCredentials(): { email: string; password: string } {
  const email = process.env.CONVENE_ORGANIZER_EMAIL;
  const password = process.env.CONVENE_ORGANIZER_PASSWORD;
  if (!email || !password) {
    throw new Error('CONVENE_ORGANIZER_EMAIL/PASSWORD are not set: run through `cargo xtask test`');
  }
  return { email, password };
}

/** Fills in and sends the sign-in form the page shows (in English). */
export async function signInAsOrganizer(page: Page) {
  const { email, password } = organizerCredentials();
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * Signs in through the identity provider from the sign-in page: its button, then the provider's
 * own login form (oidc-provider's development form, which takes any password for the login that
 * server/tests/browser.rs gave the demo organizer's claims), and back.
 */
export async function signInThroughProvider(page: Page) {
  const login = process.env.CONVENE_OIDC_LOGIN;
  if (!login) throw new Error('CONVENE_OIDC_LOGIN is not set: run through `cargo xtask test`');
  // The provider's form asks for web fonts from the internet, which is not reachable here.
  await page.route('https://fonts.googleapis.com/**', (route) => route.abort());
  await page.getByRole('link', { name: 'Sign in with Community ID' }).click();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.locator('button[type="submit"]').click();
}
