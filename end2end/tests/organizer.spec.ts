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
