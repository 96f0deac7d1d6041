// BKPSDM's menu entries: apart from strings.hr.ts so the first page (routes.tsx) carries only
// these words, not every screen's.

export const hrNav = {
  reports: 'Laporan TPP',
  ruleSets: 'Aturan TPP',
  penalties: 'Hukuman disiplin',
};
