// What global-setup started, for the tests: the web app's and the API's URLs, the push service
// stand-in's (null when a stack already running was named without E2E_PUSH_URL), and the
// checkout whose `eoffice token` gives tokens for that stack.
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const HERE = fileURLToPath(new URL('.', import.meta.url));

export interface StackInfo {
  webUrl: string;
  apiUrl: string;
  pushUrl: string | null;
  root: string;
  pid: number | null;
}

export const STACK_FILE = resolve(HERE, '../node_modules/.cache/eoffice-e2e-stack.json');

export function stack(): StackInfo {
  return JSON.parse(readFileSync(STACK_FILE, 'utf8')) as StackInfo;
}
