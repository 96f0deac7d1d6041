// The web app in Debian's chromium, driven by Playwright through the DevTools protocol; run by
// `python -m bench --only web` (bench/webapp.py), which passes the order as JSON on stdin and
// reads the answer (JSON) on stdout. Progress goes to stderr.
//
// Order: { webUrl, chromium, user: {key, value}, items, letterPath, lighthouse, visits }
// (visits: false measures the rendering alone).
// Answer: { visits: {baseline, first, repeat} (s until the inbox list is on screen),
//           transferredKb, codeFetched, renderMs: [..] (4x CPU), renderUnthrottledMs, completeMs,
//           completeUnthrottledMs (until the last item), itemsRendered,
//           lighthouse: {page: {category: score}}, lighthouseMetrics: {url: {audit: value}},
//           lighthouseError }.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, FLAGS, readOrder, signedIn, say, WEB } from './common.mjs';

// 400 kbit/s each way, 400 ms round trip (the slow 3G).
const SLOW = {
  offline: false,
  latency: 400,
  downloadThroughput: (400 * 1000) / 8,
  uploadThroughput: (400 * 1000) / 8,
};
const RENDER_RUNS = 7;
const INBOX = '[data-testid="inbox"] > li';
const RENDERED = 'eoffice:inbox-rendered';
// The app renders the first screen of items at once and the rest in chunks: this measure ends
// when the last of them is in the list (and painted).
const COMPLETE = 'eoffice:inbox-complete';
const METRICS = [
  'first-contentful-paint',
  'largest-contentful-paint',
  'total-blocking-time',
  'cumulative-layout-shift',
  'speed-index',
];

const order = await readOrder();
const answer = { visits: {}, renderMs: [], itemsRendered: 0, lighthouse: {}, lighthouseMetrics: {} };
const browser = await chromium.launch({ executablePath: order.chromium, args: FLAGS });
try {
  if (order.visits !== false) await visits(browser, answer);
  if (order.render !== false) {
    answer.completeMs = [];
    answer.completeUnthrottledMs = [];
    answer.renderMs = await rendering(browser, 4, RENDER_RUNS, answer.completeMs);
    answer.renderUnthrottledMs = await rendering(browser, 1, 3, answer.completeUnthrottledMs);
  }
} finally {
  await browser.close();
}
if (order.lighthouse) await lighthouse(answer);
process.stdout.write(JSON.stringify(answer));

/** Seconds from navigation start until the first inbox item is painted (a frame after it is in
 *  the DOM), as the page itself saw it. */
async function untilInbox(page, url) {
  await page.goto(url, { waitUntil: 'commit', timeout: 120_000 });
  const at = await page.waitForFunction(() => window.__inboxAt, null, { timeout: 120_000, polling: 50 });
  return (await at.jsonValue()) / 1000;
}

async function watchInbox(context) {
  await context.addInitScript((selector) => {
    const seen = () => {
      if (window.__inboxSeen || !document.querySelector(selector)) return;
      window.__inboxSeen = true;
      requestAnimationFrame(() => (window.__inboxAt = performance.now()));
    };
    new MutationObserver(seen).observe(document, { childList: true, subtree: true });
  }, INBOX);
}

async function throttled(context, page, conditions) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  if (conditions) await cdp.send('Network.emulateNetworkConditions', conditions);
  return cdp;
}

async function visits(browser, answer) {
  // A warm-up visit (discarded: it starts the functions' execution environments), then the
  // baseline: the same first visit without throttling.
  for (const name of ['warm-up', 'baseline']) {
    const context = await signedIn(browser, order.user, { viewport: { width: 390, height: 844 } });
    await watchInbox(context);
    const page = await context.newPage();
    await throttled(context, page, null);
    const seconds = await untilInbox(page, order.webUrl + '/');
    await page.waitForLoadState('networkidle', { timeout: 120_000 }).catch(() => undefined);
    if (name === 'baseline') answer.visits.baseline = seconds;
    say(`first visit, unthrottled (${name}): ${seconds.toFixed(2)} s`);
    await context.close();
  }
  const context = await signedIn(browser, order.user, { viewport: { width: 390, height: 844 } });
  await watchInbox(context);
  const first = await context.newPage();
  const cdp = await throttled(context, first, SLOW);
  // What the page fetched over the wire (the service worker's precache is not the page's).
  let bytes = 0;
  const kinds = new Map();
  const code = {};
  cdp.on('Network.responseReceived', (e) => kinds.set(e.requestId, [e.type, e.response.url]));
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
    const [type, url] = kinds.get(e.requestId) ?? [];
    if (type === 'Script' || type === 'Stylesheet') code[new URL(url).pathname] = e.encodedDataLength;
  });
  answer.visits.first = await untilInbox(first, order.webUrl + '/');
  await first.waitForLoadState('networkidle', { timeout: 120_000 }).catch(() => undefined);
  answer.transferredKb = bytes / 1024;
  answer.codeFetched = code;
  say(`first visit, slow link: ${answer.visits.first.toFixed(2)} s`);
  // Let the first visit finish: the service worker installed (its precache complete) and
  // controlling, the page's other requests done, so the repeat visit finds everything warm.
  await first.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    return Boolean(registration.active);
  });
  await first.waitForLoadState('networkidle', { timeout: 120_000 }).catch(() => undefined);
  await first.close();
  const again = await context.newPage();
  await throttled(context, again, SLOW);
  answer.visits.repeat = await untilInbox(again, order.webUrl + '/');
  const controlled = await again.evaluate(() => Boolean(navigator.serviceWorker.controller));
  say(`repeat visit, slow link: ${answer.visits.repeat.toFixed(2)} s (service worker: ${controlled})`);
  answer.repeatControlled = controlled;
  await context.close();
}

async function rendering(browser, rate, runs, completeTimes) {
  const times = [];
  for (let run = 0; run < runs; run++) {
    // A context of its own each time: no kept copy in IndexedDB, so the page from the API is
    // what renders the list; no service worker competing for the throttled CPU.
    const context = await signedIn(browser, order.user, {
      viewport: { width: 1280, height: 800 },
      serviceWorkers: 'block',
    });
    // The app asks for 30 a page; ask the API for all of them so one page holds 200 items.
    await context.route(
      (url) => url.pathname === '/me/inbox',
      (route) => {
        const url = new URL(route.request().url());
        url.searchParams.set('limit', String(order.items));
        return route.continue({ url: url.toString() });
      },
    );
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    await page.goto(order.webUrl + '/', { waitUntil: 'commit' });
    const measured = await page.waitForFunction(
      (name) => performance.getEntriesByName(name)[0]?.duration,
      RENDERED,
      { timeout: 120_000, polling: 100 },
    );
    const ms = await measured.jsonValue();
    const all = await page.waitForFunction(
      (name) => performance.getEntriesByName(name)[0]?.duration,
      COMPLETE,
      { timeout: 120_000, polling: 100 },
    );
    const allMs = await all.jsonValue();
    answer.itemsRendered = await page.locator(INBOX).count();
    times.push(ms);
    completeTimes.push(allMs);
    say(`inbox of ${answer.itemsRendered} items, ${rate}x CPU: ${ms.toFixed(0)} ms, all ${allMs.toFixed(0)} ms`);
    await context.close();
  }
  return times;
}

// Lighthouse connects to a chromium it did not start (so the signed-in user can be put into
// its localStorage first) and keeps that storage (--disable-storage-reset); the service worker
// and caches are still empty: the user was stored from /config.json, which registers nothing.
async function lighthouse(answer) {
  const port = 9300 + Math.floor(Math.random() * 500);
  const profile = mkdtempSync(join(tmpdir(), 'eoffice-lighthouse-'));
  const chrome = spawn(
    order.chromium,
    [...FLAGS, '--headless=new', `--remote-debugging-port=${port}`, `--user-data-dir=${profile}`, 'about:blank'],
    { stdio: 'ignore' },
  );
  try {
    const browser = await connect(port);
    const context = browser.contexts()[0];
    const page = await context.newPage();
    await page.goto(order.webUrl + '/config.json');
    await page.evaluate(({ key, value }) => localStorage.setItem(key, value), order.user);
    await page.close();
    for (const [name, path] of [
      ['inbox', '/'],
      ['letter', order.letterPath],
    ]) {
      say(`lighthouse: ${name}`);
      answer.lighthouse[name] = await runLighthouse(port, order.webUrl + path, name);
    }
  } catch (error) {
    answer.lighthouseError = String(error?.message ?? error).slice(0, 2000);
    say(`lighthouse failed: ${answer.lighthouseError}`);
  } finally {
    chrome.kill('SIGTERM');
    await new Promise((done) => chrome.once('exit', done).once('error', done));
    rmSync(profile, { recursive: true, force: true });
  }
}

async function connect(port) {
  for (let tries = 0; ; tries++) {
    try {
      return await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
    } catch (error) {
      if (tries > 50) throw error;
      await new Promise((done) => setTimeout(done, 200));
    }
  }
}

function runLighthouse(port, url, name) {
  const cli = join(WEB, 'node_modules', 'lighthouse', 'cli', 'index.js');
  const args = [
    cli,
    url,
    `--port=${port}`,
    '--disable-storage-reset',
    '--only-categories=performance,accessibility,best-practices',
    '--output=json',
    '--output-path=stdout',
    '--quiet',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`lighthouse exited ${code}: ${err.slice(-1500)}`));
      try {
        const lhr = JSON.parse(out);
        const scores = {};
        for (const [id, category] of Object.entries(lhr.categories)) {
          scores[id] = category.score === null ? null : Math.round(category.score * 100);
        }
        const metrics = {};
        for (const id of METRICS) metrics[id] = lhr.audits[id]?.displayValue ?? null;
        answer.lighthouseMetrics[name] = metrics;
        if (lhr.runtimeError) reject(new Error(`lighthouse on ${url}: ${lhr.runtimeError.message}`));
        else resolve(scores);
      } catch (error) {
        reject(error);
      }
    });
  });
}
