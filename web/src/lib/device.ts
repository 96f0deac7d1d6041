// Which device the phone's check-ins name. A browser cannot read Android ID: until this phone
// holds a WebAuthn credential (lib/webauthn.ts), a random id kept in the browser's storage.
// It proves nothing (cleared with the site's data, copied with a profile): that is what the
// WebAuthn credential is for.

const KEY = 'eoffice.webDevice';

export function webDeviceId(): string {
  let id = localStorage.getItem(KEY);
  if (!id) {
    id = `web-${crypto.randomUUID().replaceAll('-', '')}`;
    localStorage.setItem(KEY, id);
  }
  return id;
}
