// Fails when src/api/schema.d.ts is not what openapi-typescript generates from
// src/api/openapi.json now (run `npm run gen:api`), the way `npm run gen:api` writes it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function generated() {
  const dir = mkdtempSync(join(tmpdir(), 'eoffice-api-'));
  try {
    const out = join(dir, 'schema.d.ts');
    execFileSync(
      process.execPath,
      ['node_modules/openapi-typescript/bin/cli.js', 'src/api/openapi.json', '-o', out],
      { stdio: 'pipe' },
    );
    return readFileSync(out, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const committed = readFileSync('src/api/schema.d.ts', 'utf8');
  if (committed !== generated()) {
    console.error('src/api/schema.d.ts is stale: run `npm run gen:api` (after `eoffice openapi`)');
    process.exit(1);
  }
  console.log('src/api/schema.d.ts matches src/api/openapi.json');
}
