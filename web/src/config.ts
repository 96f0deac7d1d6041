// The runtime configuration: fetched from /config.json of the app's own origin before anything
// else (never baked into the build), so one build runs against any stack.

export interface AuthConfig {
  authority: string;
  metadataUrl: string;
  clientId: string;
  scope: string;
  signOutUrl: string;
}

export interface RuntimeConfig {
  apiUrl: string;
  auth: AuthConfig;
  stage: string;
  /** The offices map's tile URL template (`https://…/{z}/{x}/{y}.png`); absent or empty: no
   * basemap, the geofence is drawn over a plain background (ADR 0027). */
  basemapUrl?: string;
  /** The basemap's attribution, shown on the map when it has tiles. */
  basemapAttribution?: string;
}

const CACHE_KEY = 'eoffice.config';

function isConfig(value: unknown): value is RuntimeConfig {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const auth = v['auth'] as Record<string, unknown> | undefined;
  return (
    typeof v['apiUrl'] === 'string' &&
    typeof auth === 'object' &&
    auth !== null &&
    ['authority', 'metadataUrl', 'clientId', 'scope', 'signOutUrl'].every(
      (k) => typeof auth[k] === 'string',
    )
  );
}

/** The config from the network, or (offline start) the last one seen. */
export async function loadConfig(): Promise<RuntimeConfig> {
  try {
    // The default cache mode, so the preload of index.html is used: the hosts serve config.json
    // revalidated every time (no-cache: local web host, infra/deploy/publish_web.py), so a new
    // deployment's settings still take effect at the next start.
    const answer = await fetch('/config.json');
    if (!answer.ok) throw new Error(`/config.json: ${answer.status}`);
    const config: unknown = await answer.json();
    if (!isConfig(config)) throw new Error('/config.json: unexpected shape');
    localStorage.setItem(CACHE_KEY, JSON.stringify(config));
    return config;
  } catch (error) {
    const saved = localStorage.getItem(CACHE_KEY);
    if (saved) {
      const config: unknown = JSON.parse(saved);
      if (isConfig(config)) return config;
    }
    throw error;
  }
}
