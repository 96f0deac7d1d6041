// The web app's main screens as PNG files, on a tablet (1280x800) and a phone (390x844); run by
// `python -m bench --only screenshots` (bench/screenshots.py), which seeds the environment and
// passes the order as JSON on stdin: { webUrl, chromium, users: {name: {key, value}},
// shots: [{name, user, path, wait, pdf, click, then}], out } (click: a button that leaves the app,
// then: what to wait for on the page it opens). Answer on stdout: { files: [...] }.

import { join } from 'node:path';
import { chromium, FLAGS, readOrder, signedIn, say } from './common.mjs';

const VIEWPORTS = {
  tablet: { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, hasTouch: true },
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true },
};

const order = await readOrder();
const files = [];
const browser = await chromium.launch({ executablePath: order.chromium, args: FLAGS });
try {
  for (const [device, options] of Object.entries(VIEWPORTS)) {
    for (const shot of order.shots) {
      const user = shot.user ? order.users[shot.user] : null;
      const context = await signedIn(browser, user, { ...options, serviceWorkers: 'block' });
      const page = await context.newPage();
      await page.goto(order.webUrl + shot.path);
      await page.waitForSelector(shot.wait, { timeout: 60_000 });
      if (shot.click) {
        const origin = new URL(order.webUrl).origin;
        await Promise.all([
          page.waitForURL((url) => url.origin !== origin, { timeout: 60_000 }),
          page.click(shot.click),
        ]);
        await page.waitForSelector(shot.then, { timeout: 60_000 });
      }
      await page.waitForLoadState('networkidle', { timeout: 60_000 }).catch(() => undefined);
      if (shot.pdf) {
        // The letter's PDF, rendered by pdf.js into a canvas, when the screen shows one.
        await page.waitForSelector('canvas', { timeout: 20_000 }).catch(() => say('no PDF canvas on the letter screen'));
        await page.waitForLoadState('networkidle', { timeout: 60_000 }).catch(() => undefined);
      }
      await page.evaluate(() => document.fonts?.ready);
      const file = join(order.out, `${shot.name}-${device}.png`);
      await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
      say(`${file}`);
      files.push(file);
      await context.close();
    }
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify({ files }));
