import { describe, expect, it } from 'vitest';
import { badRows, parseCsv, preview } from '../src/lib/csvPreview';

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
