// Public screens (the verification page a QR code opens): no sign-in, no session.
import { LocationProvider, Router, Route } from 'preact-iso';
import type { RuntimeConfig } from '../config';
import { routes } from '../routes';
import { NotFound } from '../screens/NotFound';
import { PublicContext } from './publicContext';
import { makeApi } from '../api/client';

export function PublicApp({ config }: { config: RuntimeConfig }) {
  const api = makeApi(config.apiUrl, async () => null);
  return (
    <PublicContext.Provider value={{ config, api }}>
      <LocationProvider>
        <main id="main" class="public">
          <Router>
            {routes
              .filter((r) => r.public)
              .map((r) => (
                <Route key={r.path} path={r.path} component={r.component} />
              ))}
            <Route default component={NotFound} />
          </Router>
        </main>
      </LocationProvider>
    </PublicContext.Provider>
  );
}
