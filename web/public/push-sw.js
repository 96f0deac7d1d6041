// Web push in the service worker (imported by the generated Workbox worker, vite.config.ts):
// shows what the notifications function sent, and a tap opens the item in the app. The message
// is already worded for its reader (Bahasa Indonesia, a rahasia letter never named).
/* eslint-env serviceworker */

self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = {};
  }
  const plain = typeof data.title === 'string' && data.title ? data.title : 'e-Office Luwu Timur';
  const title = data.urgent === true ? `[Segera] ${plain}` : plain;
  event.waitUntil(
    self.registration.showNotification(title, {
      body: typeof data.body === 'string' ? data.body : '',
      tag: typeof data.tag === 'string' ? data.tag : undefined,
      data: { path: safePath(data.path) },
      icon: '/icon-192.png',
      badge: '/icon-192.png',
      lang: 'id',
      requireInteraction: data.urgent === true,
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = appUrl(event.notification.data && event.notification.data.path);
  event.waitUntil(openOrFocus(url));
});

// Only a page of this app: a push can never send the reader to another site ("//x", "/\\x").
function appUrl(path) {
  const home = new URL('/', self.location.origin);
  if (typeof path !== 'string' || !path.startsWith('/')) return home.href;
  const url = new URL(path, self.location.origin);
  return url.origin === self.location.origin ? url.href : home.href;
}

function safePath(path) {
  return new URL(appUrl(path)).pathname + new URL(appUrl(path)).search;
}

// The app's open window, brought to the front and sent to the item; else a new window. focus()
// is refused without the user's activation (a tap grants it only for a moment, and some
// browsers not at all): the window still goes to the item, it is only not raised.
async function openOrFocus(href) {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  for (const client of windows) {
    if (new URL(client.url).origin === self.location.origin && 'navigate' in client) {
      await client.focus().catch(() => undefined);
      // A window the worker does not control (a hard reload) cannot be navigated: open one.
      return client.navigate(href).catch(() => self.clients.openWindow(href));
    }
  }
  return self.clients.openWindow(href);
}
