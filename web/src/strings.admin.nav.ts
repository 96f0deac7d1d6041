// The administrators' navigation labels, apart from strings.admin.ts: the route list (in the
// first page) needs only these, and the rest of the admin words load with the admin screens.

export const adminNav = {
  organisation: 'Organisasi',
  offices: 'Kantor',
  employees: 'Pegawai',
  import: 'Impor CSV',
  acting: 'Plt./Plh.',
  calendar: 'Kalender kerja',
};
