import { test, expect } from './fixtures';
import { expectNoViolations } from './axe';
import { ORGANIZER_STATE } from './organizer';

// The community call story: an organizer sets the series' sections, a team writes two updates
// through its contributor link (one with JavaScript, one without), the call page shows them with
// the generated upcoming events in English and German, and the present view moves between the
// slides with the keyboard. It changes the demo series' sections, so it runs once (desktop).

test.describe('the community call', () => {
  test.use({ storageState: ORGANIZER_STATE });

  test('sections set by an organizer, updates written through a team link, shown and presented', async ({ page, newContext }, testInfo) => {
    test.slow(); // Seven form posts, three browsers and four axe runs.
    const baseURL = testInfo.project.use.baseURL;

    // The organizer reaches the agenda from the series' page and adds two sections.
    await page.goto('/admin/events/scs-community-call');
    await page.getByRole('link', { name: 'Agenda sections' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Agenda of SCS Community Call');
    await page.getByLabel('Team or SIG (a meeting series)').selectOption({ label: 'SIG Community' });
    await page.getByRole('button', { name: "Add the team's section" }).click();
    await expect(page.getByText('The section is added at the end.')).toBeVisible();
    await page.getByLabel('Title', { exact: true }).fill('Announcements');
    await page.getByRole('button', { name: 'Add the section' }).click();
    await expect(page.getByText('The section is added at the end.')).toBeVisible();
    const sections = page.locator('.agenda-sections > li strong');
    await expect(sections.last()).toHaveText('Announcements');
    // One step up: before SIG Community, added just before it.
    await page.getByRole('button', { name: /^Move up\W+Announcements$/ }).click();
    await expect(page.getByText('The section is moved.')).toBeVisible();
    const titles = await sections.allTextContents();
    expect(titles.slice(-2)).toEqual(['Announcements', 'SIG Community']);
    await expectNoViolations(page);

    // SIG Community gets its contributor link, shown once.
    await page.getByRole('button', { name: /^New contributor link\W+SIG Community$/ }).click();
    const link = (await page.locator('.secret-link').textContent())?.trim() ?? '';
    expect(link).toMatch(/\/contribute\/[A-Za-z0-9_-]{20,}$/);
    const contributeUrl = new URL(link).pathname;

    // A team member with JavaScript adds the first update for the next call.
    const team = await (await newContext({ baseURL, locale: 'en-GB' })).newPage();
    await team.goto(contributeUrl);
    await expect(team.getByRole('heading', { level: 1 })).toHaveText('Updates of SIG Community');
    await expectNoViolations(team);
    const firstCall = team.locator('section.call-editor').first();
    const callHref = await firstCall.getByRole('link', { name: "See the call's agenda" }).getAttribute('href');
    expect(callHref).toMatch(/^\/events\/scs-community-call\/\d{4}-\d{2}-\d{2}$/);
    await firstCall.getByLabel(/^New item for/).fill('- Hackathon topics: **vote** on the board until Friday');
    await firstCall.getByRole('button', { name: 'Add the item' }).click();
    await expect(team.getByText('The item is added.')).toBeVisible();
    // An empty item is refused next to its field.
    await team.locator('section.call-editor').first().getByRole('button', { name: 'Add the item' }).click();
    await expect(team.locator('section.call-editor').first().locator('.field-error')).toHaveText('This field is required.');

    // Another member, without JavaScript, adds the second.
    const plain = await (await newContext({ baseURL, locale: 'en-GB', javaScriptEnabled: false })).newPage();
    await plain.goto(contributeUrl);
    const plainCall = plain.locator('section.call-editor').first();
    await expect(plainCall.locator('.call-item-preview')).toHaveCount(1);
    await plainCall.getByLabel(/^New item for/).fill('Summit call for papers is open.');
    await plainCall.getByRole('button', { name: 'Add the item' }).click();
    await expect(plain.getByText('The item is added.')).toBeVisible();
    await expect(plain.locator('section.call-editor').first().locator('.call-item-preview')).toHaveCount(2);

    // The call page: both updates in the team's section, and the generated upcoming events.
    const visitor = await (await newContext({ baseURL, locale: 'en-GB' })).newPage();
    await visitor.goto(callHref!);
    const sig = visitor.locator('section.call-section', { has: visitor.getByRole('heading', { name: 'SIG Community' }) });
    await expect(sig.locator('ul.call-items > li')).toHaveCount(2);
    await expect(sig.locator('strong')).toHaveText('vote');
    await expect(sig).toContainText('Summit call for papers is open.');
    const upcoming = visitor.locator('section.call-section', {
      has: visitor.getByRole('heading', { name: 'Upcoming events - meet us where you can!' }),
    });
    await expect(upcoming.getByRole('link', { name: 'Digital Sovereignty Forum' })).toBeVisible();
    // (Other specs add events with registration of their own: the hackathon's announcement.)
    const hackathon = upcoming.locator('.call-announcement', {
      has: visitor.getByRole('link', { name: 'Third Community Hackathon' }),
    });
    await expect(hackathon.getByRole('link', { name: 'Register' })).toHaveAttribute('href', '/events/hackathon-3/register');
    await expectNoViolations(visitor);

    // In German: the same agenda in German words.
    const german = await (await newContext({ baseURL, locale: 'de-DE' })).newPage();
    await german.goto(callHref!);
    await expect(german.locator('html')).toHaveAttribute('lang', 'de');
    await expect(german.getByText('Summit call for papers is open.')).toBeVisible();
    await expect(
      german
        .locator('.call-announcement', { has: german.getByRole('link', { name: 'Third Community Hackathon' }) })
        .getByRole('link', { name: 'Anmelden' }),
    ).toHaveAttribute('href', '/events/hackathon-3/register');
    await expect(german.getByRole('link', { name: 'Präsentieren' })).toBeVisible();
    await expect(german.getByText('Noch keine Neuigkeiten.').first()).toBeVisible();

    // The present view: one slide at a time, moved with the keyboard.
    await visitor.getByRole('link', { name: 'Present' }).click();
    await expect(visitor).toHaveURL(/\/present#slide-1$/);
    const slides = visitor.locator('section.slide');
    const total = await slides.count();
    expect(total).toBeGreaterThan(3);
    await expect(visitor.locator('section.slide:visible')).toHaveCount(1);
    await expect(slides.nth(0)).toBeVisible();
    await visitor.keyboard.press('ArrowRight');
    await expect(slides.nth(1)).toBeVisible();
    await expect(slides.nth(0)).toBeHidden();
    await expect(visitor).toHaveURL(/#slide-2$/);
    await visitor.keyboard.press('PageDown');
    await expect(slides.nth(2)).toBeVisible();
    await visitor.keyboard.press('ArrowLeft');
    await expect(slides.nth(1)).toBeVisible();
    await visitor.keyboard.press('End');
    await expect(slides.nth(total - 1)).toBeVisible();
    await expect(visitor).toHaveURL(new RegExp(`#slide-${total}$`));
    await visitor.keyboard.press('ArrowRight');
    await expect(slides.nth(total - 1)).toBeVisible();
    await visitor.keyboard.press('Home');
    await expect(slides.nth(0)).toBeVisible();
    // A reload stays on the slide in the address (once the address says it).
    await expect(visitor).toHaveURL(/#slide-1$/);
    await visitor.keyboard.press('Space');
    await expect(slides.nth(1)).toBeVisible();
    await expect(visitor).toHaveURL(/#slide-2$/);
    await visitor.reload();
    await expect(slides.nth(1)).toBeVisible();
    await expect(visitor.locator('section.slide:visible')).toHaveCount(1);
    const sigSlide = visitor.locator('section.slide', { hasText: 'Summit call for papers is open.' });
    await expect(sigSlide).toHaveCount(1);
    await expectNoViolations(visitor);

    // Without JavaScript the slides follow each other down the page.
    await plain.goto(`${callHref}/present`);
    await expect(plain.locator('section.slide').nth(2)).toBeVisible();
  });
});
