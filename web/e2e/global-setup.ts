// Starts the whole stack as `make dev` runs it, on free ports: `eoffice dev` with the HTTP API,
// the web host (serving web/dist and /config.json), the sign-in stand-in and the emulator, with
// a small demo regency, and the browser push service's stand-in (headless Chromium has none:
// e2e/push.spec.ts plays the browser's side of it) on the port the OS gives it, read from the
// run's runtime.json (a port chosen here and released could go to a stand-in started first). E2E_WEB_URL +
// E2E_API_URL (+ E2E_ROOT, the checkout whose `eoffice token` answers for that stack, and
// E2E_PUSH_URL, its push service stand-in as `eoffice dev` prints it) use a stack already
// running instead.
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { STACK_FILE, type StackInfo } from './stack';

const HERE = fileURLToPath(new URL('.', import.meta.url));

const ROOT = resolve(HERE, '../..');

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => ok(port));
    });
  });
}

async function waitFor(url: string, until: number, gone: () => string | null = () => null): Promise<void> {
  for (;;) {
    const why = gone();
    if (why) throw new Error(why);
    try {
      const answer = await fetch(url);
      if (answer.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > until) throw new Error(`${url} did not answer in time`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

export default async function globalSetup(): Promise<void> {
  mkdirSync(dirname(STACK_FILE), { recursive: true });
  if (process.env['E2E_WEB_URL'] && process.env['E2E_API_URL']) {
    const info: StackInfo = {
      webUrl: process.env['E2E_WEB_URL'],
      apiUrl: process.env['E2E_API_URL'],
      pushUrl: process.env['E2E_PUSH_URL'] ?? null,
      root: process.env['E2E_ROOT'] ?? ROOT,
      pid: null,
    };
    writeFileSync(STACK_FILE, JSON.stringify(info));
    return;
  }
  const [api, web, signin, emulator] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const args = [
    'dev',
    '--port', String(api),
    '--web-port', String(web),
    '--signin-port', String(signin),
    '--emulator-port', String(emulator),
    '--employees', '20',
  ];
  // The build under test (`npm run build` first), served as it is: eoffice dev must not run npm
  // in web/ while Playwright runs from its node_modules.
  const dist = process.env['E2E_WEB_DIST'] ?? resolve(ROOT, 'web/dist');
  if (!existsSync(resolve(dist, 'index.html'))) throw new Error(`${dist} has no build: run npm run build first`);
  args.push('--web-dist', dist);
  // The stack's own output goes to a file (E2E_VERBOSE=1: to the terminal).
  const log = resolve(dirname(STACK_FILE), 'eoffice-e2e-stack.log');
  const out = process.env['E2E_VERBOSE'] ? 'inherit' : openSync(log, 'w');
  const child = spawn(resolve(ROOT, '.venv/bin/eoffice'), args, {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', out, out],
  });
  child.unref();
  let exited: string | null = null;
  child.on('exit', (code) => {
    exited = `eoffice dev stopped (exit ${code}) before the stack was up; see ${log}`;
  });
  const info: StackInfo = {
    webUrl: `http://127.0.0.1:${web}`,
    apiUrl: `http://127.0.0.1:${api}`,
    pushUrl: null, // the OS picks its port: read from the run's runtime.json once it is up
    root: ROOT,
    pid: child.pid ?? null,
  };
  writeFileSync(STACK_FILE, JSON.stringify(info));
  const until = Date.now() + 10 * 60_000; // a first build of web/ included
  console.log(`e2e stack: ${info.webUrl} (API ${info.apiUrl}); its output in ${log}`);
  await waitFor(`${info.apiUrl}/health`, until, () => exited);
  await waitFor(`${info.webUrl}/config.json`, until, () => exited);
  const state = process.env['EOFFICE_STATE_DIR'] ?? resolve(ROOT, '.eoffice');
  const runtime = JSON.parse(readFileSync(resolve(state, 'runtime.json'), 'utf8')) as { push_url?: string };
  writeFileSync(STACK_FILE, JSON.stringify({ ...info, pushUrl: runtime.push_url ?? null }));
}
