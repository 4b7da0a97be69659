import type { Page } from 'playwright-core';

// Durations measured inside the page with performance.now(): from the user's action (a form
// submitted, a link followed) to the moment the DOM shows the awaited screen, seen by a
// MutationObserver. Playwright's own polling would add its round trips to every number.

export interface AwaitedScreen {
  /** The path the app shows once done. */
  pathname: string;
  /** The text of the page's h1, when the screen is recognised by it. */
  heading?: string;
  /** How many entries must show "Signature vérifiée" (the `.entry .verified` marks). */
  verifiedEntries?: number;
}

export type PageAction = { submitForm: true } | { clickLink: string };

// The page has no DOM types here (the project compiles for Node): the function runs as source.
const IN_PAGE = `async ({ action, screen, timeoutMs }) => {
  const done = () =>
    location.pathname === screen.pathname &&
    (screen.heading === undefined || document.querySelector('h1')?.textContent === screen.heading) &&
    (screen.verifiedEntries === undefined ||
      document.querySelectorAll('.entry .verified').length === screen.verifiedEntries);
  const target =
    'clickLink' in action
      ? document.querySelector('a[href="' + action.clickLink + '"]')
      : document.querySelector('form');
  if (target === null) throw new Error('nothing to act on');
  return new Promise((resolve, reject) => {
    let start = 0;
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error('the awaited screen did not show in ' + timeoutMs + ' ms'));
    }, timeoutMs);
    const observer = new MutationObserver(() => {
      if (!done()) return;
      const ms = performance.now() - start;
      observer.disconnect();
      clearTimeout(timer);
      resolve(ms);
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    start = performance.now();
    if ('clickLink' in action) target.click();
    else target.requestSubmit();
  });
}`;

/** Milliseconds from `action` to `screen`, timed in the page. */
export function timeInPage(
  page: Page,
  action: PageAction,
  screen: AwaitedScreen,
  timeoutMs = 120_000,
): Promise<number> {
  return page.evaluate<number>(`(${IN_PAGE})(${JSON.stringify({ action, screen, timeoutMs })})`);
}
