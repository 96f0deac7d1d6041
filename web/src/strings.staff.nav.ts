// The staff screens' menu labels: loaded with the first page (routes.tsx), apart from the
// screens' own words (strings.staff.ts), which load with the screens.
export const staffNav = { checkIn: 'Presensi', month: 'Bulan saya', leave: 'Cuti & izin' };
