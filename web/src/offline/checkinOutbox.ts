// The one outbox of check-ins kept on this phone: Presensi adds to it and shows it, and the
// app-wide sender (checkinSending.ts) empties it, so both must hold the same instance (its
// listeners tell the screen what the sender did).

import { CheckInOutbox, idbOutbox } from './checkins';

export const checkInOutbox = new CheckInOutbox(idbOutbox());
