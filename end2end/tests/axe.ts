import { expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Runs axe-core on the page and fails with a readable list of violations. */
export async function expectNoViolations(page: Page) {
  // Judge the page as a visitor sees it: hydrated, with the stylesheet applied (a check that
  // runs while hydration re-attaches the stylesheet would measure unstyled links).
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
  await page.waitForFunction(() =>
    [...document.styleSheets].some((sheet) => (sheet.href ?? '').includes('/pkg/convene.css') && sheet.cssRules.length > 0),
  );
  const results = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  const found = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`,
  );
  expect(found, `axe violations on ${page.url()}`).toEqual([]);
}
