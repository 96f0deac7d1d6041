// A 422 of the API spread over the forms' fields, in Bahasa Indonesia: the problem body is the
// one eoffice.http.plain.from_validation writes ({location: "body.<field>...", message, type}).
import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError } from '../src/api/client';
import { describe as words, fieldName, formProblems } from '../src/lib/fieldProblems';
import { FIELDS, letterBody, EMPTY } from '../src/screens/clerk/Register';
import { draftBody } from '../src/screens/outgoing/NewDraft';

const unprocessable = (errors: { location: string; message: string; type: string }[]) =>
  new ApiError(422, {
    type: 'about:blank',
    title: 'Unprocessable Content',
    status: 422,
    code: 'validation_error',
    detail: 'the request is not valid',
    errors,
  });

describe('field problems', () => {
  it('names a field by its place in the body', () => {
    expect(fieldName('body.sender_date')).toBe('sender_date');
    expect(fieldName('body.recipients.0.unit_id')).toBe('recipients.0.unit_id');
    expect(fieldName('body')).toBe('');
  });

  it("puts each of the API's problems next to its field, in Bahasa Indonesia", () => {
    const error = unprocessable([
      { location: 'body.sender_date', message: 'Field required', type: 'missing' },
      {
        location: 'body.classification_code',
        message: "String should match pattern '^\\d{3}(\\.\\d{1,3}){0,4}$'",
        type: 'string_pattern_mismatch',
      },
      { location: 'body.sender_date', message: 'Input should be a valid date', type: 'date_from_datetime_parsing' },
      { location: 'body.sifat', message: "Input should be 'biasa', 'terbatas'", type: 'enum' },
    ]);
    const p = formProblems(error, FIELDS);
    expect(p.fields).toEqual({
      sender_date: 'Wajib diisi.', // the first problem of a field is shown
      classification_code: 'Formatnya tidak sesuai.',
      sifat: 'Pilihan tidak dikenal.',
    });
    expect(p.general).toEqual(['Periksa isian yang ditandai.']);
  });

  it('shows a nested problem on the closest field the form has, and the rest at the top', () => {
    const error = unprocessable([
      { location: 'body.recipients.1.unit_id', message: 'unit_id is required for kind unit', type: 'value_error' },
      { location: 'body.signers', message: 'List should have at least 1 item', type: 'too_short' },
      { location: 'body.colour', message: 'Extra inputs are not permitted', type: 'extra_forbidden' },
    ]);
    const p = formProblems(error, ['recipients', 'recipients.0', 'recipients.1', 'signers']);
    expect(p.fields['recipients.1']).toBe('unit_id is required for kind unit'); // unknown type: the API's words
    expect(p.fields['signers']).toBe('Isi sedikitnya satu.');
    expect(p.general).toEqual(['Isian ini tidak dikenal.']);
  });

  it('a refusal that is not per field is shown whole at the top', () => {
    const conflict = new ApiError(403, { code: 'role_required', detail: 'only the unit records clerk or head' });
    expect(formProblems(conflict, FIELDS)).toEqual({
      fields: {},
      general: ['Tindakan ini memerlukan peran yang tidak Anda miliki. Hubungi admin bila ini keliru.'],
    });
    expect(formProblems(new NetworkError('Failed to fetch'), FIELDS).general).toEqual([
      'Tidak ada sambungan ke server. Periksa jaringan lalu coba lagi.',
    ]);
    expect(formProblems(null, FIELDS)).toEqual({ fields: {}, general: [] });
  });

  it('maps the types pydantic uses to words an official reads', () => {
    expect(words({ type: 'string_too_long', ctx: { max_length: 500 } })).toBe(
      'Terlalu panjang (paling banyak 500 karakter).',
    );
    expect(words({ type: 'int_parsing', message: 'Input should be a valid integer' })).toBe('Harus berupa angka.');
    expect(words({ type: 'less_than_equal' })).toBe('Angka di luar batas.');
  });
});

describe('request bodies', () => {
  it('leaves out empty fields (the API says which are required) and trims the rest', () => {
    const body = letterBody({
      ...EMPTY,
      sender_agency: '  Dinas Pendidikan ',
      subject: 'Undangan',
      tembusan: 'Sekda\n\n Inspektorat \n',
      attachment_count: '2',
    });
    expect(body).toEqual({
      sender_agency: 'Dinas Pendidikan',
      subject: 'Undangan',
      sifat: 'biasa',
      urgensi: 'biasa',
      attachment_count: 2,
      tembusan: ['Sekda', 'Inspektorat'],
    });
  });

  it('a draft lists its signers and reviewers in order, one NIP a line', () => {
    const body = draftBody({
      kind: 'surat_undangan',
      classification_code: '800.1.2.2',
      subject: 'Rapat',
      summary: '',
      sifat: 'biasa',
      urgensi: 'segera',
      recipients: [
        { kind: 'unit', unit_id: 'u-1', name: '', address: '' },
        { kind: 'external', unit_id: '', name: 'BSSN', address: 'tte@bssn.go.id' },
      ],
      signers: '197503082002121003\n',
      reviewers: '198807192011012006, 199001012015011001',
    });
    expect(body.signers).toEqual(['197503082002121003']);
    expect(body.reviewers).toEqual(['198807192011012006', '199001012015011001']);
    expect(body.recipients).toEqual([
      { kind: 'unit', unit_id: 'u-1' },
      { kind: 'external', name: 'BSSN', address: 'tte@bssn.go.id' },
    ]);
    expect('summary' in body).toBe(false);
  });
});
