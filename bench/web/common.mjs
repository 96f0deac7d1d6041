// What the bench's browser scripts share: Playwright (playwright-core from web/'s one lock
// file), Debian's chromium flags, the order on stdin, a signed-in browser context.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The web app's folder: its node_modules hold the bench's Node packages too. */
export const WEB = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web');
const webRequire = createRequire(join(WEB, 'package.json'));
export const { chromium } = webRequire('playwright-core');

export const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function say(text) {
  process.stderr.write(`  [web] ${text}\n`);
}

export async function readOrder() {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return JSON.parse(text);
}

/** A browser context whose pages find the user signed in: oidc-client-ts's stored user put
 *  into localStorage before the app's scripts run (what a finished sign-in leaves there). */
export async function signedIn(browser, user, options = {}) {
  const context = await browser.newContext({ locale: 'id-ID', timezoneId: 'Asia/Makassar', ...options });
  if (user) {
    await context.addInitScript(({ key, value }) => {
      if (!localStorage.getItem(key)) localStorage.setItem(key, value);
    }, user);
  }
  return context;
}
