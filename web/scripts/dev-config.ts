// `vite` and `vite preview` only: serve /config.json from the running local stack
// (`.eoffice/runtime.json` of the repository, written by `eoffice dev`), as the local web host
// does for `make dev`. Environment variables override: EOFFICE_API_URL, EOFFICE_SIGNIN_URL; EOFFICE_BASEMAP_URL sets the map's tiles.
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Connect, Plugin } from 'vite';

const HERE = fileURLToPath(new URL('.', import.meta.url));

function config(): Record<string, unknown> {
  let state: Record<string, unknown> = {};
  try {
    state = JSON.parse(readFileSync(resolve(HERE, '../../.eoffice/runtime.json'), 'utf8'));
  } catch {
    // nothing runs: the app shows its configuration error
  }
  const apiUrl = process.env['EOFFICE_API_URL'] ?? (state['api_url'] as string | undefined) ?? '';
  const signin = process.env['EOFFICE_SIGNIN_URL'] ?? (state['signin_url'] as string | undefined) ?? '';
  let authority = (state['issuer'] as string | undefined) ?? signin;
  let clientId = (state['client_id'] as string | undefined) ?? '';
  try {
    const stack = JSON.parse(state['stack'] as string) as { refs?: Record<string, string>; region?: string };
    const pool = stack.refs?.['UserPool'];
    if (pool && !state['issuer']) authority = `https://cognito-idp.${stack.region}.amazonaws.com/${pool}`;
    clientId ||= stack.refs?.['WebAppClient'] ?? stack.refs?.['UserPoolClient'] ?? '';
  } catch {
    // no stack recorded
  }
  return {
    apiUrl,
    auth: {
      authority,
      metadataUrl: `${signin}/.well-known/openid-configuration`,
      clientId,
      scope: 'openid email profile',
      signOutUrl: `${signin}/logout`,
    },
    stage: 'dev',
    // The offices map's tiles (ADR 0027): none unless asked for, so nothing fetches a tile server.
    basemapUrl: process.env['EOFFICE_BASEMAP_URL'] ?? '',
  };
}

const serve: Connect.NextHandleFunction = (req, res, next) => {
  if (req.url?.split('?')[0] !== '/config.json') return next();
  res.setHeader('content-type', 'application/json');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(config()));
};

export function devConfig(): Plugin {
  return {
    name: 'eoffice-dev-config',
    configureServer(server) {
      server.middlewares.use(serve);
    },
    configurePreviewServer(server) {
      server.middlewares.use(serve);
    },
  };
}
