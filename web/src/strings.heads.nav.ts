// The heads' menu entries: apart from strings.heads.ts so the first page (routes.tsx) carries
// only these words, not every screen's.

export const headsNav = {
  unitDay: 'Hari ini di unit',
  reviews: 'Tinjauan',
  devices: 'Perangkat',
  leaves: 'Cuti',
  corrections: 'Koreksi',
};
