import * as fs from 'node:fs';
import { test, expect, type Locator, type Page } from './fixtures';
import { linkIn, waitForMail } from './mail';
import { expectNoViolations } from './axe';
import { ORGANIZER_STATE, signInAsOrganizer } from './organizer';

// One story on the one demo hackathon (40 seats): each step builds on the one before. About ten
// registrations in all: registration is rate limited per client address (all of ours are one).
test.describe.configure({ mode: 'serial' });

let adaManageLink = '';

test('registers for the hackathon, confirms by the mailed link, and is confirmed', async ({ page }) => {
  await page.goto('/events/hackathon-3');
  await page.getByRole('link', { name: 'Register', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Register for Third Community Hackathon');
  await page.getByLabel('Full name').fill('Ada Lovelace');
  await page.getByLabel('E-mail address').fill('ada.e2e@example.org');
  await page.getByLabel('T-shirt size (optional)').selectOption('M');
  await page.getByLabel(/I agree/).check();
  await page.getByRole('button', { name: 'Register' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your e-mail');
  // The page names the address and the hold, and can send the mail again.
  await expect(page.getByText('We sent it to ada.e2e@example.org.')).toBeVisible();
  await expect(page.getByText(/Your seat is held until/)).toBeVisible();
  await expect(page).not.toHaveURL(/ada/);
  await expectNoViolations(page);
  await page.getByRole('button', { name: 'Send the mail again' }).click();
  await expect(page.getByText(/We have sent the mail again to ada\.e2e@example\.org/)).toBeVisible();
  await waitForMail('ada.e2e@example.org', /^Your registration for/);

  const mail = await waitForMail('ada.e2e@example.org', /^Confirm your seat/);
  adaManageLink = linkIn(mail, /\/r\/[\w-]+$/);
  // The mail's link opens a page with one button; only the button confirms.
  await page.goto(linkIn(mail, /\/confirm$/));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Confirm your seat at Third Community Hackathon');
  await expectNoViolations(page);
  await page.getByRole('button', { name: 'Confirm my seat' }).click();
  await expect(page.getByText('Thank you: your e-mail address is confirmed.')).toBeVisible();
  await expect(page.getByText('You are confirmed: a seat is yours.')).toBeVisible();
  await expectNoViolations(page);
  await waitForMail('ada.e2e@example.org', /^You are confirmed/);
});

test('when the room is full, the next person is told their waitlist position', async ({ page, newContext }) => {
  // The organizer lowers the capacity to the seats taken (lowering cancels nobody), which fills
  // the room without dozens of registrations.
  const event = await (await page.request.get('/api/v1/events/hackathon-3')).json();
  const organizer = await (await newContext({ storageState: ORGANIZER_STATE })).newPage();
  await organizer.goto('/admin/events/hackathon-3');
  await organizer.getByLabel('Capacity', { exact: true }).fill(String(event.registration.seats_taken));
  await organizer.getByRole('button', { name: 'Save capacity' }).click();
  await expect(organizer.getByText('Capacity saved. 0 people moved up from the waitlist.')).toBeVisible();

  await page.goto('/events/hackathon-3/register');
  await expect(page.getByText(/The room is full/)).toBeVisible();
  await page.getByLabel('Full name').fill('Grace Hopper');
  await page.getByLabel('E-mail address').fill('grace.e2e@example.org');
  await page.getByLabel(/I agree/).check();
  await page.getByRole('button', { name: 'Join the waitlist' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('You are on the waitlist');
  await expect(page.getByText('on the waitlist at position 1.')).toBeVisible();
  await waitForMail('grace.e2e@example.org', /waitlist.*\(#1\)/);
});

test('cancelling through the manage link offers the seat to the person waiting, who accepts it', async ({ page }) => {
  expect(adaManageLink).not.toBe('');
  await page.goto(adaManageLink);
  // The visitor's own time beside the event's, as on the event page.
  await expect(page.locator('.local-time')).toContainText('Your time:');
  await page.getByRole('link', { name: 'Cancel my registration' }).click();
  await expectNoViolations(page);
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  await page.evaluate(() => ((window as any).__stayed = true));
  await page.getByRole('button', { name: 'Yes, cancel my registration' }).click();
  await expect(page.getByText('Your registration is cancelled.', { exact: false }).first()).toBeVisible();
  await expect(page.getByText('This registration is cancelled.')).toBeVisible();
  expect(await page.evaluate(() => (window as any).__stayed), 'cancelled without a page load').toBe(true);
  // Cancelled, the page offers a way back and no longer speaks of cancelling.
  await expect(page.getByRole('link', { name: 'Register again' })).toHaveAttribute('href', '/events/hackathon-3/register');
  await expect(page.getByText('anyone who has it can cancel')).toHaveCount(0);
  await expect(page.getByText('anyone who has it can see and erase your data')).toBeVisible();

  // The demo hackathon offers a freed seat for a day; only the button accepts it.
  const offered = await waitForMail('grace.e2e@example.org', /^A seat is offered to you/);
  await page.goto(linkIn(offered, /\/confirm$/));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Accept your seat at Third Community Hackathon');
  await expect(page.getByText(/A seat came free and is offered to you until/)).toBeVisible();
  await expectNoViolations(page);
  await page.getByRole('button', { name: 'Accept the seat' }).click();
  await expect(page.getByText('You are confirmed: a seat is yours.')).toBeVisible();
  await waitForMail('grace.e2e@example.org', /^You are confirmed/);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the form shows every problem next to its field, then registers', async ({ page }) => {
    await page.goto('/events/hackathon-3/register');
    await page.getByRole('button', { name: /Register|Join the waitlist/ }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await expect(summary).toBeVisible();
    await expect(summary.getByRole('link', { name: 'Enter your full name.' })).toBeVisible();
    await summary.getByRole('link', { name: 'Enter your e-mail address.' }).click();
    await expect(page.getByLabel('E-mail address')).toBeFocused();
    await expect(page.locator('#field-email-error')).toContainText('Enter your e-mail address.');
    await expect(page.getByLabel('Full name')).toHaveAttribute('aria-invalid', 'true');

    await page.getByLabel('Full name').fill('Lin Clark');
    await page.getByLabel('E-mail address').fill('not-an-address');
    await page.getByLabel(/I agree/).check();
    await page.getByRole('button', { name: /Register|Join the waitlist/ }).click();
    await expect(page.getByLabel('Full name')).toHaveValue('Lin Clark');
    await page.getByLabel('E-mail address').fill('lin.e2e@example.org');
    await page.getByRole('button', { name: /Register|Join the waitlist/ }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/You are on the waitlist|Check your e-mail/);

    // Confirm, see the status and cancel, all as plain links and form posts.
    const mail = await waitForMail('lin.e2e@example.org', /.+/);
    await page.goto(linkIn(mail, /\/r\/[\w-]+$/) + '/confirm');
    await page.getByRole('button', { name: /Confirm my (seat|e-mail address)/ }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your registration');
    await page.getByRole('link', { name: 'Cancel my registration' }).click();
    await page.getByRole('button', { name: 'Yes, cancel my registration' }).click();
    await expect(page.getByText('This registration is cancelled.')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Register again' })).toBeVisible();
  });
});

/** Presses Tab until `target` has the focus, and checks that the focus is visible. */
async function tabTo(page: Page, target: Locator) {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement)) {
      const outline = await target.evaluate((el) => {
        const style = getComputedStyle(el);
        return `${style.outlineStyle} ${style.outlineWidth}`;
      });
      expect(outline, 'a visible focus ring').not.toMatch(/^none|0px$/);
      return;
    }
  }
  throw new Error('could not reach the element with Tab');
}

test('registers, confirms and cancels with the keyboard only', async ({ page }) => {
  await page.goto('/events/hackathon-3');
  await tabTo(page, page.getByRole('link', { name: 'Skip to main content' }));
  await tabTo(page, page.getByRole('link', { name: /^(Register|Join the waitlist)$/ }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Register for Third Community Hackathon');

  await tabTo(page, page.getByLabel('Full name'));
  await page.keyboard.type('Kay Keyboard');
  await tabTo(page, page.getByLabel('E-mail address'));
  await page.keyboard.type('kay.e2e@example.org');
  await tabTo(page, page.getByLabel(/I agree/));
  await page.keyboard.press('Space');
  await expect(page.getByLabel(/I agree/)).toBeChecked();
  await tabTo(page, page.getByRole('button', { name: /Register|Join the waitlist/ }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/You are on the waitlist|Check your e-mail/);

  const mail = await waitForMail('kay.e2e@example.org', /.+/);
  await page.goto(linkIn(mail, /\/r\/[\w-]+$/) + '/confirm');
  await tabTo(page, page.getByRole('button', { name: /Confirm my (seat|e-mail address)/ }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your registration');
  await tabTo(page, page.getByRole('link', { name: 'Cancel my registration' }));
  await page.keyboard.press('Enter');
  await tabTo(page, page.getByRole('button', { name: 'Yes, cancel my registration' }));
  await page.keyboard.press('Enter');
  await expect(page.getByText('This registration is cancelled.')).toBeVisible();
});

let joergManageLink = '';

test.describe('in German', () => {
  test.use({ locale: 'de-DE' });

  test('a registration in German is answered by a German mail', async ({ page }) => {
    await page.goto('/events/hackathon-3/register');
    await page.getByLabel('Vollständiger Name').fill('Jörg Deutsch');
    await page.getByLabel('E-Mail-Adresse').fill('joerg.e2e@example.org');
    await page.getByLabel(/Ich bin einverstanden/).check();
    await page.getByRole('button', { name: /Anmelden|Auf die Warteliste/ }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Sie stehen auf der Warteliste|Bitte prüfen Sie Ihre E-Mails/);
    const mail = await waitForMail('joerg.e2e@example.org', /./);
    expect(mail.subject).toMatch(/Warteliste|Bestätigen Sie Ihren Platz/);
    expect(mail.text).toContain('Hallo Jörg Deutsch,');
    expect(mail.text).toMatch(/Do\.|Mo\.|Di\.|Mi\.|Fr\.|Sa\.|So\./);
    joergManageLink = linkIn(mail, /\/r\/[\w-]+$/);
  });

  // The manage, cancel and topic pages pass axe in German, on a desktop and on a phone: one
  // test per page, so that a slow page names itself.
  const devices = [
    { device: 'desktop', use: { viewport: { width: 1280, height: 800 } } },
    { device: 'phone', use: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } },
  ];
  const pages = [
    { page: 'manage', suffix: '', heading: 'Ihre Anmeldung' },
    { page: 'cancel', suffix: '/cancel', heading: null },
    { page: 'topics', suffix: '/topics', heading: 'Themensammlung' },
  ];
  for (const { device, use } of devices) {
    test.describe(`on a ${device}`, () => {
      test.use(use);
      for (const { page: name, suffix, heading } of pages) {
        test(`the German ${name} page passes axe on a ${device}`, async ({ page }) => {
          expect(joergManageLink, 'the link from the German registration mail').not.toBe('');
          await page.goto(joergManageLink + suffix);
          if (heading) await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
          await expectNoViolations(page);
        });
      }
    });
  }
});

test('with JavaScript the form answers in place, without a page load', async ({ page }) => {
  await page.goto('/events/hackathon-3/register');
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  // A full page load would lose this marker.
  await page.evaluate(() => ((window as any).__stayed = true));
  const submit = page.getByRole('button', { name: /Register|Join the waitlist/ });
  await submit.click();
  const summary = page.locator('.error-summary');
  await expect(summary).toBeVisible();
  await expect(summary).toBeFocused();
  await expect(page.locator('#field-name-error')).toContainText('Enter your full name.');
  expect(await page.evaluate(() => (window as any).__stayed)).toBe(true);

  await page.getByLabel('Full name').fill('Margaret Hamilton');
  await page.getByLabel('E-mail address').fill('margaret.e2e@example.org');
  await page.getByLabel(/I agree/).check();
  await submit.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/You are on the waitlist|Check your e-mail/);
  await expect(page).toHaveURL(/\/events\/hackathon-3\/registered\?status=/);
  expect(await page.evaluate(() => (window as any).__stayed)).toBe(true);
  await waitForMail('margaret.e2e@example.org', /.+/);
});

/** Registers someone over the API, confirms their address (only then do their votes count)
 * and returns the manage link from their mail. */
async function registeredLink(page: Page, name: string, email: string): Promise<string> {
  const response = await page.request.post('/api/v1/events/hackathon-3/registrations', {
    data: { name, email, consent: true },
  });
  expect(response.status()).toBe(201);
  const manage = linkIn(await waitForMail(email, /.+/), /\/r\/[\w-]+$/);
  expect((await page.request.post(manage + '/confirm')).ok()).toBe(true);
  return manage;
}

/** The titles on the board, top to bottom. */
async function boardOrder(page: Page): Promise<string[]> {
  return page.locator('.topic h3').allTextContents();
}

test('proposes a topic from the manage link, votes in place and withdraws the vote', async ({ page }) => {
  test.slow(); // Three axe runs and a dozen steps: 9-12 s on a 2-core machine, twice that on a slow one.
  const manage = await registeredLink(page, 'Tess Topic', 'tess.e2e@example.org');
  await page.goto(manage);
  await page.getByRole('link', { name: 'Topics: propose and vote' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Topic collection');
  await page.getByLabel('Title').fill('Gaia-X self-descriptions for SCS clouds');
  await page.getByLabel('Description (optional)').fill('Generate **self-descriptions** from the cloud.');
  await page.getByLabel('Shown as').fill('Tess');
  await page.getByRole('button', { name: 'Propose topic' }).click();
  await expect(page.getByText('Your topic is on the board.')).toBeVisible();
  const mine = page.locator('.topic', { hasText: 'Gaia-X self-descriptions' });
  await expect(mine.getByText('Proposed by Tess')).toBeVisible();
  await expect(mine.locator('strong')).toHaveText('self-descriptions');
  const before = await boardOrder(page);
  expect(before[before.length - 1], 'no votes yet: last').toBe('Gaia-X self-descriptions for SCS clouds');
  await expectNoViolations(page);

  // With JavaScript the vote is counted in place: no page load, the board keeps the order the
  // voter saw (the topic stays under their finger), the focus stays on the topic's button.
  // Reached and pressed with the keyboard.
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  await page.evaluate(() => ((window as any).__stayed = true));
  const vote = mine.getByRole('button', { name: /^Vote\W+Gaia-X self-descriptions for SCS clouds$/ });
  await tabTo(page, vote);
  await page.keyboard.press('Enter');
  await expect(page.getByText('Your vote is counted.')).toBeVisible();
  await expect(mine.getByText('You voted')).toBeVisible();
  await expect(mine.locator('.vote-number')).toHaveText('1');
  expect(await boardOrder(page), 'the order the voter saw').toEqual(before);
  const withdraw = mine.getByRole('button', { name: /^Withdraw vote/ });
  await expect(withdraw).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByText('Your vote is withdrawn.')).toBeVisible();
  await expect(mine.locator('.vote-number')).toHaveText('0');
  expect(await boardOrder(page)).toEqual(before);
  expect(await page.evaluate(() => (window as any).__stayed), 'voted without a page load').toBe(true);

  // A refused proposal and the edit form pass axe too (axe needs JavaScript in the page).
  await page.getByLabel('Title').fill('');
  await page.getByRole('button', { name: 'Propose topic' }).click();
  await expect(page.locator('#field-title-error')).toContainText('Give your topic a title.');
  await expectNoViolations(page);
  await page.getByRole('link', { name: /^Edit or withdraw\W+Gaia-X/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Edit your topic');
  await expectNoViolations(page);

  // The public board shows the topic without any voting controls.
  await page.goto('/events/hackathon-3/topics');
  await expect(page.getByRole('heading', { name: 'Gaia-X self-descriptions for SCS clouds' })).toBeVisible();
  await expect(page.getByRole('button', { name: /Vote/ })).toHaveCount(0);
});

test.describe('topics without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('votes, proposes with errors shown next to the field, edits and withdraws', async ({ page }) => {
    const manage = await registeredLink(page, 'Nora Noscript', 'nora.e2e@example.org');
    await page.goto(manage + '/topics');
    const keycloak = page.locator('.topic', { hasText: 'Federated identity with Keycloak' });
    const votesBefore = Number(await keycloak.locator('.vote-number').textContent());
    await keycloak.getByRole('button', { name: /^Vote/ }).click();
    await expect(page.getByText('Your vote is counted.')).toBeVisible();
    await expect(keycloak.locator('.vote-number')).toHaveText(String(votesBefore + 1));
    await expect(keycloak.getByText('You voted')).toBeVisible();
    await keycloak.getByRole('button', { name: /^Withdraw vote/ }).click();
    await expect(page.getByText('Your vote is withdrawn.')).toBeVisible();
    await expect(keycloak.locator('.vote-number')).toHaveText(String(votesBefore));

    await page.getByLabel('Title').fill('ab');
    await page.getByRole('button', { name: 'Propose topic' }).click();
    await expect(page.getByText('There is a problem')).toBeVisible();
    await expect(page.locator('#field-title-error')).toContainText('Use at least 3 characters.');
    await expect(page.getByLabel('Title')).toHaveAttribute('aria-invalid', 'true');
    await page.getByLabel('Title').fill('Networking with OVN');
    await page.getByRole('button', { name: 'Propose topic' }).click();
    await expect(page.getByText('Your topic is on the board.')).toBeVisible();

    await page.getByRole('link', { name: /^Edit or withdraw\W+Networking with OVN$/ }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Edit your topic');
    await page.getByLabel('Title').fill('Networking with OVN and BGP');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByText('Your changes are saved.')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Networking with OVN and BGP' })).toBeVisible();
    await page.getByRole('link', { name: /^Edit or withdraw\W+Networking with OVN and BGP$/ }).click();
    await page.getByRole('button', { name: 'Withdraw topic' }).click();
    await expect(page.getByText('Your topic is withdrawn.')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Networking with OVN and BGP' })).toHaveCount(0);
  });
});

test('an organizer raises capacity, the first waiting person is offered the seat and mailed, checks them in, exports, signs out', async ({ page }) => {
  test.slow(); // Sign-in, four pages, three axe runs and a mail: 9-14 s on a 2-core machine.
  await page.goto('/admin/events/hackathon-3');
  await expect(page).toHaveURL(/\/admin\/sign-in\?next=/);
  await signInAsOrganizer(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Third Community Hackathon');
  await expectNoViolations(page);

  const firstWaiting = page.locator('#waiting tbody tr').first();
  const name = (await firstWaiting.locator('td').nth(1).textContent())!.trim();
  const email = (await firstWaiting.locator('td').nth(2).textContent())!.trim();
  const capacity = Number(await page.getByLabel('Capacity', { exact: true }).inputValue());
  await page.getByLabel('Capacity', { exact: true }).fill(String(capacity + 1));
  await page.getByRole('button', { name: 'Save capacity' }).click();
  await expect(page.getByText('Capacity saved. 1 people moved up from the waitlist.')).toBeVisible();
  await expect(page.locator('#seated')).toContainText(name);
  // The seat is offered for a day: the open offers say until when.
  await expect(page.locator('#offers')).toContainText(name);
  await expect(page.locator('#offers')).toContainText(/Seat offered, not accepted yet · until /);
  await expect(page.locator('#waiting')).not.toContainText(email);
  // In the language the person registered in (the first one waiting registered in German).
  const seatMail = await waitForMail(email, /^(A seat is offered to you|Ein Platz für Sie)/);
  expect(seatMail.text).toMatch(new RegExp(`(Hello|Hallo) ${name},`));

  await page.locator('#seated').getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await expect(page.getByText('offered a seat from the waitlist')).toBeVisible();
  await expectNoViolations(page);

  await page.goto('/admin/events/hackathon-3/check-in');
  const before = await page.locator('#arrived-count').textContent();
  await page.getByRole('button', { name: new RegExp(`^Mark as arrived\\W+${name}$`) }).click();
  await expect(page.getByRole('status').filter({ hasText: `${name} arrived.` })).toBeVisible();
  await expect(page.locator('#arrived-count')).not.toHaveText(before!);
  await expect(page.getByRole('button', { name: new RegExp(`^Undo arrival\\W+${name}$`) })).toBeVisible();
  await expectNoViolations(page);
  // The list narrows as the organizer types (the focus and the typed text stay), and shows who
  // is still expected.
  const search = page.getByLabel('Find a person (name, organisation)');
  await search.pressSequentially(name, { delay: 30 });
  await expect(page.locator('.check-in-list li').filter({ hasNotText: name })).toHaveCount(0);
  await expect(page.locator('.check-in-list li').filter({ hasText: name })).not.toHaveCount(0);
  await expect(search).toBeFocused();
  await expect(search).toHaveValue(name);
  await page.getByLabel('Show').selectOption('expected');
  await expect(page.locator('#door-shown')).toHaveText('0 shown');
  await expect(page).toHaveURL(/show=expected/);

  await page.goto('/admin/events/hackathon-3');
  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Export as CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('hackathon-3-registrations.csv');
  const csv = fs.readFileSync(await download.path(), 'utf8');
  expect(csv.startsWith('\ufeffid,name,email,organisation,status')).toBe(true);
  expect(csv).toContain(email);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByText('You are signed out.')).toBeVisible();
  await page.goto('/admin');
  await expect(page).toHaveURL(/\/admin\/sign-in/);
});

test('a person sees everything kept about them, downloads it, and erases it', async ({ page }) => {
  const response = await page.request.post('/api/v1/events/hackathon-3/registrations', {
    data: { name: 'Rosalind Franklin', email: 'rosalind.e2e@example.org', consent: true, notes: 'Photo 51' },
  });
  expect(response.status()).toBe(201);
  const mail = await waitForMail('rosalind.e2e@example.org', /.+/);
  expect(mail.text).toContain('90 days after it');
  const manage = linkIn(mail, /\/r\/[\w-]+$/);

  await page.goto(manage);
  await page.getByRole('link', { name: /Your data/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Your data: /);
  await expect(page.getByText('Photo 51')).toBeVisible();
  await expectNoViolations(page);

  await page.getByRole('link', { name: 'Correct my details' }).click();
  await expect(page.getByLabel('Full name')).toHaveValue('Rosalind Franklin');
  await page.getByLabel('Full name').fill('');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('#field-name-error')).toContainText('Enter your full name.');
  await expectNoViolations(page);
  await page.getByLabel('Full name').fill('Rosalind E. Franklin');
  await page.getByLabel('Organisation').fill("King's College");
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Your details are saved.')).toBeVisible();
  await expect(page.getByText("King's College")).toBeVisible();

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download as JSON' }).click(),
  ]);
  const file = await download.path();
  const data = JSON.parse(fs.readFileSync(file, 'utf8'));
  expect(data.registration.email).toBe('rosalind.e2e@example.org');
  expect(data.registration.name).toBe('Rosalind E. Franklin');
  expect(data.registration.notes).toBe('Photo 51');

  await page.getByRole('link', { name: 'Erase my data' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Erase your data for /);
  await expectNoViolations(page);
  await page.getByRole('button', { name: 'Yes, erase my data' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your data is erased');
  await waitForMail('rosalind.e2e@example.org', /is erased$/);
  await page.goto(manage);
  await expect(page.getByText('This registration link is not valid.')).toBeVisible();
});
