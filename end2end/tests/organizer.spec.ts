import { test, expect } from './fixtures';
import { expectNoViolations } from './axe';
import { ORGANIZER_STATE } from './organizer';

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
  await visitor.getByRole('group', { name: 'T-shirt size' }).getByLabel('M', { exact: true }).check();
  await visitor.getByLabel('I bring a laptop').check();
  await visitor.getByLabel(/I agree/).check();
  await expectNoViolations(visitor);
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
  await expectNoViolations(german);
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
