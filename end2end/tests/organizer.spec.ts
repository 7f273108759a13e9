import { test, expect } from './fixtures';
import { expectNoViolations } from './axe';
import { ORGANIZER_STATE } from './organizer';
import { linkIn, waitForMail } from './mail';

test.use({ storageState: ORGANIZER_STATE });

// A series in the past (it shows on no agenda that other specs read), one per project: the
// desktop and phone runs each make their own.
test('the event form suggests the address, writes the rule from a choice, and publishes after saving', async ({ page }, testInfo) => {
  test.slow(); // Two form posts and an axe run: 4-8 s on a 2-core machine.
  const title = `Form Test Über ${testInfo.project.name}`;
  const slug = `form-test-ueber-${testInfo.project.name}`;
  await page.goto('/admin/events/new');
  await page.getByLabel('Title', { exact: true }).fill(title);
  await expect(page.getByLabel('Address', { exact: true })).toHaveAttribute('placeholder', slug);
  await expect(page.getByLabel('Time zone', { exact: true })).toHaveValue('Europe/Berlin');
  await page.getByLabel('Kind', { exact: true }).selectOption('meeting');
  await page.getByLabel('Starts', { exact: true }).fill('2020-02-03T10:00');
  await page.getByLabel('Ends', { exact: true }).fill('2020-02-03T11:00');
  await page.getByLabel('How it repeats').selectOption('monthly');
  await page.getByLabel('Last date (optional)').fill('2020-06-30');
  await page.getByLabel('People register for this event').uncheck();
  await page.getByLabel('Collect topics (a topic board)').uncheck();
  await page.getByRole('button', { name: 'Save the event' }).click();

  await expect(page).toHaveURL(new RegExp(`/admin/events/${slug}/edit\\?notice=event_saved`));
  await expect(page.getByText('Not published: visitors do not see this event yet')).toBeVisible();
  // The first Monday of February, monthly: the rule the choice wrote, and the choice read back.
  await expect(page.getByLabel('Rule (optional)')).toHaveValue('FREQ=MONTHLY;BYDAY=1MO;UNTIL=20200630');
  await expect(page.getByLabel('How it repeats')).toHaveValue('monthly');
  await expectNoViolations(page);

  await page.getByRole('button', { name: 'Publish now' }).click();
  await expect(page.getByText('The event is published: visitors see it now.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Publish now' })).toHaveCount(0);
  await page.goto(`/events/${slug}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
});

// One door account per project (the desktop and phone runs each add their own).
test('an admin adds a door organizer, who sees the door lists and nothing else', async ({ page, browser }, testInfo) => {
  test.slow(); // Two sign-ins (Argon2) and an axe run.
  const email = `door-${testInfo.project.name}@example.org`;
  const password = 'a door password, long enough';
  await page.goto('/admin/organizers');
  const add = page.locator('form[action="/admin/organizers"]');
  await add.getByLabel('E-mail address').fill(email);
  await add.getByLabel('First password').fill(password);
  await add.getByLabel('Role').selectOption('door');
  // Enter sends the form as its button does (on the phone run, a click at the form's end raced
  // the page's layout).
  await add.getByLabel('First password').press('Enter');
  await expect(page.getByText('The organizer can sign in now.')).toBeVisible();
  await expect(page.getByLabel(`Role: ${email}`)).toHaveValue('door');

  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL, locale: 'en-GB' });
  const door = await context.newPage();
  await door.goto('/admin/sign-in');
  await door.getByLabel('E-mail address').fill(email);
  await door.getByLabel('Password').fill(password);
  await door.getByRole('button', { name: 'Sign in' }).click();
  await expect(door.getByRole('link', { name: `Signed in as ${email} (Door)` })).toBeVisible();
  await expect(door.getByRole('link', { name: 'Mail log' })).toHaveCount(0);
  await expect(door.getByRole('link', { name: 'New event' })).toHaveCount(0);
  // The event's name is in a visually hidden part of the link (Chromium reads "Door list : ...").
  await door.getByRole('link', { name: /^Door list\s?: Third Community Hackathon$/ }).click();
  await expect(door).toHaveURL(/\/admin\/events\/hackathon-3\/check-in$/);
  await expectNoViolations(door);

  const refused = await door.goto('/admin/events/hackathon-3');
  expect(refused?.status()).toBe(403);
  await expect(door.getByText('Your role (Door) does not include this page or action')).toBeVisible();
  await context.close();
});

// One event per project (the desktop and phone runs each make their own); two people register.
test('an organizer asks two questions, and people answer them in English with JavaScript and in German without', async ({ page, newContext }, testInfo) => {
  test.slow(); // Three form posts, two more browsers and four axe runs.
  const slug = `questions-${testInfo.project.name}`;
  await page.goto('/admin/events/new');
  await page.getByLabel('Title', { exact: true }).fill(`Questions ${testInfo.project.name}`);
  await page.getByLabel('Address', { exact: true }).fill(slug);
  await page.getByLabel('Starts', { exact: true }).fill('2031-02-03T10:00');
  await page.getByLabel('Ends', { exact: true }).fill('2031-02-03T17:00');
  await page.getByLabel('Capacity', { exact: true }).fill('10');
  await page.getByLabel('Published (visible on the site)').check();
  const first = page.getByRole('group', { name: 'New question (leave empty for none)' });
  await first.getByLabel('Question in English').fill('T-shirt size');
  await first.getByLabel('Question in German (optional)').fill('T-Shirt-Größe');
  await first.getByLabel('Answer', { exact: true }).selectOption('radios');
  await first.getByLabel('Choices (for a choice question)').fill('S\nM\nL');
  await first.getByLabel(/People must answer/).check();
  await page.getByRole('button', { name: 'Save the event' }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/events/${slug}/edit\\?notice=event_saved`));
  // Saved, the question keeps its key, and an empty group asks for another.
  const saved = page.getByRole('group', { name: 'Question 1' });
  await expect(saved.getByLabel('Key', { exact: true })).toHaveValue('t_shirt_size');
  const second = page.getByRole('group', { name: 'New question (leave empty for none)' });
  await second.getByLabel('Question in English').fill('I bring a laptop');
  await second.getByLabel('Question in German (optional)').fill('Ich bringe einen Laptop mit');
  await second.getByLabel('Answer', { exact: true }).selectOption('yes_no');
  await page.getByRole('button', { name: 'Save the event' }).click();
  await expect(page.getByRole('group', { name: 'Question 2' }).getByLabel('Key', { exact: true })).toHaveValue('i_bring_a_laptop');
  await expectNoViolations(page);

  // In English, with JavaScript: the radio buttons and the box.
  const visitor = await (await newContext({ baseURL: testInfo.project.use.baseURL, locale: 'en-GB' })).newPage();
  await visitor.goto(`/events/${slug}/register`);
  await visitor.getByLabel('Full name').fill('Ada Questions');
  await visitor.getByLabel('E-mail address').fill(`ada.${slug}@example.org`);
  await visitor.getByLabel('I bring a laptop').check();
  await visitor.getByLabel(/I agree/).check();
  // Sent without the required choice: refused next to the question (axe judges that state; a
  // page without JavaScript cannot be judged by axe, which runs in the page).
  await visitor.getByRole('button', { name: 'Register' }).click();
  const sizeChoice = visitor.getByRole('group', { name: 'T-shirt size' });
  await expect(sizeChoice.getByText('Answer this question.')).toBeVisible();
  await expectNoViolations(visitor);
  await sizeChoice.getByLabel('M', { exact: true }).check();
  await visitor.getByLabel('I bring a laptop').check();
  await visitor.getByLabel(/I agree/).check();
  await visitor.getByRole('button', { name: 'Register' }).click();
  await expect(visitor.getByRole('heading', { level: 1 })).toHaveText('Check your e-mail');

  // In German, without JavaScript: a required question left out is refused by its field.
  const german = await (
    await newContext({ baseURL: testInfo.project.use.baseURL, locale: 'de-DE', javaScriptEnabled: false })
  ).newPage();
  await german.goto(`/events/${slug}/register`);
  await german.getByLabel('Vollständiger Name').fill('Zoë Fragen');
  await german.getByLabel('E-Mail-Adresse').fill(`zoe.${slug}@example.org`);
  await german.getByLabel(/Ich bin einverstanden/).check();
  await german.getByRole('button', { name: 'Anmelden' }).click();
  const sizes = german.getByRole('group', { name: 'T-Shirt-Größe' });
  await expect(sizes.getByText('Beantworten Sie diese Frage.')).toBeVisible();
  await sizes.getByLabel('L', { exact: true }).check();
  await german.getByRole('button', { name: 'Anmelden' }).click();
  await expect(german.getByRole('heading', { level: 1 })).toHaveText('Bitte prüfen Sie Ihre E-Mails');

  // The organizer reads the answers added up.
  await page.goto(`/admin/events/${slug}`);
  const shirts = page.locator('#answers-t_shirt_size');
  await expect(shirts.getByRole('row', { name: /^M 1 1$/ })).toBeVisible();
  await expect(shirts.getByRole('row', { name: /^L 1 1$/ })).toBeVisible();
  const laptops = page.locator('#answers-i_bring_a_laptop');
  await expect(laptops.getByRole('row', { name: /^Yes 1 1$/ })).toBeVisible();
  await expect(laptops.getByRole('row', { name: /^No 1 1$/ })).toBeVisible();
});

// One event per project (the desktop and phone runs each make their own); one person, one ticket.
test('a ticket from the confirmation mail is scanned at the door, and typed there in German without JavaScript', async ({ page, newContext }, testInfo) => {
  test.slow(); // A form post, a registration with two mails, two browsers and three axe runs.
  const baseURL = testInfo.project.use.baseURL!;
  const slug = `tickets-${testInfo.project.name}`;
  const created = await page.request.post('/admin/events', {
    headers: { origin: new URL(baseURL).origin },
    form: {
      title: `Tickets ${testInfo.project.name}`,
      slug,
      kind: 'meeting',
      summary: 'A room with a door',
      time_zone: 'Europe/Berlin',
      starts_at: '2031-04-01T10:00',
      ends_at: '2031-04-01T12:00',
      registration: 'on',
      capacity: '5',
      published: 'on',
    },
    maxRedirects: 0,
  });
  expect(created.status()).toBe(303);
  const email = `tia.${slug}@example.org`;
  const registered = await page.request.post(`/api/v1/events/${slug}/registrations`, {
    data: { name: 'Tia Ticket', email, consent: true },
  });
  expect(registered.status()).toBe(201);
  const manage = linkIn(await waitForMail(email, /.+/), /\/r\/[\w-]+$/);
  expect((await page.request.post(manage + '/confirm')).ok()).toBe(true);
  const confirmed = await waitForMail(email, /^You are confirmed/);
  const code = confirmed.text.match(/\b[0-9A-Z]{5}-[0-9A-Z]{5}\b/)?.[0];
  expect(code, confirmed.text).toBeTruthy();

  // The holder's page shows the ticket: its QR code and its code.
  await page.goto(manage);
  await expect(page.getByRole('heading', { name: 'Your ticket' })).toBeVisible();
  await expect(page.locator('.ticket-qr svg')).toBeVisible();
  await expect(page.locator('.ticket-code')).toContainText(code!);
  await expectNoViolations(page);

  // At the door, with JavaScript: Chromium on Linux has no BarcodeDetector and this machine no
  // camera, so the test stands in for both (a canvas as the camera, a detector that reads the
  // ticket's address, as the QR code holds it). What the page does with them runs as on a phone;
  // the QR code's pixels are read back in server/tests/admin.rs.
  const ticketUrl = new URL(`/admin/tickets/${code!.replace('-', '')}`, baseURL).href;
  await page.addInitScript((value) => {
    const w = window as any;
    w.BarcodeDetector = class {
      static async getSupportedFormats() {
        return ['qr_code'];
      }
      async detect() {
        return [{ rawValue: value }];
      }
    };
    navigator.mediaDevices.getUserMedia = async () => {
      const canvas = document.createElement('canvas');
      canvas.width = 64;
      canvas.height = 64;
      canvas.getContext('2d')!.fillRect(0, 0, 64, 64);
      return canvas.captureStream(5);
    };
  }, ticketUrl);
  await page.goto(`/admin/events/${slug}/scan`);
  await expect(page.locator('#arrived-count')).toHaveText('0 of 1 arrived');
  await page.getByRole('button', { name: 'Start the camera' }).click();
  const result = page.locator('#scan-result');
  await expect(result.locator('.scan-headline')).toHaveText('Checked in');
  await expect(result.locator('.scan-name')).toHaveText('Tia Ticket');
  await expect(page.locator('#arrived-count')).toHaveText('1 of 1 arrived');
  await expectNoViolations(page);

  // Without JavaScript, in German: the code typed as heard; a second check-in says since when.
  const door = await (
    await newContext({ baseURL, locale: 'de-DE', javaScriptEnabled: false, storageState: ORGANIZER_STATE })
  ).newPage();
  await door.goto(`/admin/events/${slug}/scan`);
  await expect(door.locator('[data-scanner]')).toBeHidden();
  await door.getByLabel('Ticket-Code').fill(code!.toLowerCase());
  await door.getByRole('button', { name: 'Einchecken' }).click();
  await expect(door.locator('.scan-headline')).toHaveText(/^Schon um \d\d:\d\d eingecheckt$/);
  await expect(door.locator('.scan-name')).toHaveText('Tia Ticket');
});
