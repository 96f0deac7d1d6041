import { describe, expect, it } from 'vitest';
import { badRows, parseCsv, preview } from '../src/lib/csvPreview';
import { rowProblemText } from '../src/strings.importRows';

const HEADER = 'nip,name,unit_code,position,roles,username,email';

describe('parseCsv', () => {
  it('reads quoted fields, doubled quotes, CRLF and a BOM', () => {
    const text = '\ufeffa,b\r\n"x, y","say ""hi"""\r\n3,\n';
    expect(parseCsv(text)).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['3', ''],
    ]);
  });

  it('keeps a line break inside quotes in its field', () => {
    expect(parseCsv('a,b\n"one\ntwo",2')).toEqual([
      ['a', 'b'],
      ['one\ntwo', '2'],
    ]);
  });
});

describe('preview', () => {
  const text = [
    HEADER,
    '199001012020011001,Andi Baso,DISKOMINFO,,staff,andi.baso,andi@example.go.id',
    '199001012020011002,"Sitti, S.Kom",NOPE,,staff,sitti,sitti@example.go.id',
    '199001012020011003,Rahmat,DISKOMINFO,,staff,rahmat,',
  ].join('\n');

  it('numbers rows as the API does (header 1) and lays its messages over them', () => {
    const rows = preview(text, [{ row: 3, nip: '199001012020011002', messages: ['unit_code: unknown unit NOPE'] }]);
    expect(rows.map((r) => r.row)).toEqual([2, 3, 4]);
    expect(rows[1]).toEqual({
      row: 3,
      nip: '199001012020011002',
      name: 'Sitti, S.Kom',
      unit: 'NOPE',
      messages: ['unit_code: unknown unit NOPE'],
    });
    expect(badRows(rows).map((r) => r.row)).toEqual([3]);
  });

  it('joins several problems of one row and never loses a row the file reading missed', () => {
    const rows = preview(text, [
      { row: 2, nip: null, messages: ['a'] },
      { row: 2, nip: null, messages: ['b'] },
      { row: 9, nip: '1', messages: ['c'] },
    ]);
    expect(rows.find((r) => r.row === 2)!.messages).toEqual(['a', 'b']);
    expect(rows.at(-1)).toMatchObject({ row: 9, nip: '1', messages: ['c'] });
  });

  it('finds columns by name in any order, and an empty file has no rows', () => {
    const rows = preview('name,nip\nAndi,1', []);
    expect(rows[0]).toMatchObject({ nip: '1', name: 'Andi', unit: '' });
    expect(preview('', [])).toEqual([]);
  });
});

describe('the problems in Bahasa', () => {
  const problem = (code: string, column: string | null, value: string | null) =>
    ({ code, column, value, message: `english ${code}` }) as Parameters<typeof rowProblemText>[0];

  it('words each row problem from its code, column and value, not the API\'s English', () => {
    const rows = preview('nip,name\n123,Andi\n124,Rahmat', [
      {
        row: 2,
        nip: '123',
        messages: ['nip: Value error, a NIP has 18 digits', 'line'],
        problems: [problem('invalid_value', 'nip', '123'), problem('duplicate_in_file', 'username', '7')],
      },
    ]);
    expect(rows[0]!.messages).toEqual([
      'NIP "123" tidak sah: 18 angka, dengan tanggal lahir dan TMT yang benar.',
      'Nama pengguna ini juga ada di baris 7.',
    ]);
  });

  it('says an empty required cell, an unknown unit, a bad amount and dates in Bahasa', () => {
    expect(rowProblemText(problem('invalid_value', 'name', ''))).toBe('Kolom nama wajib diisi.');
    expect(rowProblemText(problem('unknown_unit', 'unit_code', 'NOPE'))).toBe('Kode unit "NOPE" tidak ada.');
    expect(rowProblemText(problem('invalid_amount', 'tpp_amount', 'tiga juta'))).toMatch(/^Jumlah TPP "tiga juta" bukan Rupiah bulat/);
    expect(rowProblemText(problem('invalid_date', 'employed_from', '11/11/2026'))).toMatch(/^TMT mulai "11\/11\/2026" bukan tanggal/);
    expect(rowProblemText(problem('username_taken', 'username', '199001012020011001'))).toContain('NIP 199001012020011001');
  });

  it('keeps the API\'s message for a code this app does not know yet, and old answers without codes', () => {
    expect(rowProblemText(problem('something_new', null, null))).toBe('english something_new');
    const rows = preview('nip\n1', [{ row: 2, nip: '1', messages: ['as the API said'] }]);
    expect(rows[0]!.messages).toEqual(['as the API said']);
  });
});
