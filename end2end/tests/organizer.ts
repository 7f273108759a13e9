import * as path from 'node:path';
import type { Page } from '@playwright/test';

/**
 * The demo organizer's signed-in browser state (only the session cookie), written once per run
 * by organizer.setup.ts and used by the tests of organizer pages: sign-in is rate limited (10
 * attempts per address and per client in 15 minutes), so the suite signs in twice in all (here
 * and in the registration story, which tests the sign-in itself).
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
