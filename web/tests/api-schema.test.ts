// The generated client types are not stale: schema.d.ts is what openapi-typescript makes of
// openapi.json now (and a pytest test checks openapi.json against `eoffice openapi`).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
// @ts-expect-error: a plain ES module script, without types
import { generated } from '../scripts/check-api.mjs';

describe('generated API types', () => {
  it('schema.d.ts matches openapi.json', { timeout: 60_000 }, () => {
    const committed = readFileSync('src/api/schema.d.ts', 'utf8');
    expect(committed === (generated as () => string)(), 'run `npm run gen:api`').toBe(true);
  });
});
