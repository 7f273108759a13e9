// What a phone loads: for each page, the bytes of JavaScript and wasm that Chromium receives
// (encoded, as sent over the network, headers included) and the time until the page says it is
// hydrated (`<html data-hydrated>`), on an emulated slow phone network with an empty cache.
//
// Run by `server/benches/weight.rs` (`cargo xtask bench weight`), which starts the release
// server with the demo data and passes:
//   CONVENE_BASE_URL, CONVENE_ORGANIZER_EMAIL, CONVENE_ORGANIZER_PASSWORD, CHROMIUM_PATH
// and the pages as arguments (`public:/`, `admin:/admin`). Prints one JSON line per page.

import { chromium } from '@playwright/test';

const base = process.env.CONVENE_BASE_URL;
const pages = process.argv.slice(2).map((arg) => {
  const [audience, ...path] = arg.split(':');
  return { audience, path: path.join(':') };
});

// Lighthouse's mobile network: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up.
const SLOW_PHONE = { offline: false, latency: 150, downloadThroughput: 200_000, uploadThroughput: 93_750 };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
  const visitor = await browser.newContext(phone);
  const organizer = await browser.newContext(phone);
  await signIn(organizer);
  for (const { audience, path } of pages) {
    const context = audience === 'admin' ? organizer : visitor;
    console.log(JSON.stringify({ audience, path, ...(await weigh(context, path)) }));
  }
} finally {
  await browser.close();
}

async function signIn(context) {
  const page = await context.newPage();
  await page.goto(base + '/admin/sign-in');
  await page.getByLabel('E-mail address').fill(process.env.CONVENE_ORGANIZER_EMAIL);
  await page.getByLabel('Password').fill(process.env.CONVENE_ORGANIZER_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/admin$/);
  await page.close();
}

/** Loads `path` with an empty cache on the slow network and counts what came. */
async function weigh(context, path) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', SLOW_PHONE);
  const kinds = new Map();
  const bytes = { js: 0, wasm: 0, html: 0, css: 0, other: 0 };
  cdp.on('Network.responseReceived', ({ requestId, response }) => {
    kinds.set(requestId, kindOf(response.mimeType, response.url));
  });
  cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
    bytes[kinds.get(requestId) ?? 'other'] += encodedDataLength;
  });
  const response = await page.goto(base + path, { waitUntil: 'load', timeout: 120_000 });
  if (!response || response.status() !== 200) throw new Error(`${path}: ${response?.status()}`);
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached', timeout: 120_000 });
  const hydratedMs = Math.round(await page.evaluate(() => performance.now()));
  // Requests still on their way (the idle-time wasm) are counted once they finish.
  await page.waitForLoadState('networkidle');
  await page.close();
  return { bytes, hydratedMs };
}

function kindOf(mime, url) {
  if (mime.includes('wasm') || url.endsWith('.wasm')) return 'wasm';
  if (mime.includes('javascript')) return 'js';
  if (mime.includes('html')) return 'html';
  if (mime.includes('css')) return 'css';
  return 'other';
}
