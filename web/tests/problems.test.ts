import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError } from '../src/api/client';
import { PROBLEM_WORDS, errorWords, fallbackWords, problemWithCode, problemWords } from '../src/lib/problems';

// Words an English reader would recognise in an API detail: none may reach an official.
const ENGLISH = /\b(the|this|only|already|cannot|not|is|try|again|must|letter|assignment)\b/i;

describe('problem words', () => {
  it('shows Bahasa Indonesia words for a known code, never the English detail', () => {
    const error = new ApiError(409, { code: 'already_reviewed', detail: 'you already reviewed version 2 (approved)' });
    expect(errorWords(error)).toBe(PROBLEM_WORDS['already_reviewed']);
    expect(errorWords(error)).toContain('paraf');
    expect(errorWords(error)).not.toContain('already');
    expect(problemWords({ code: 'invalid_transition', status: 409 })).toContain('Tugas ini sudah berubah status');
    expect(problemWords({ code: 'idempotency_key_reused', status: 422 })).toContain('Muat ulang halaman');
    expect(problemWords({ code: 'already_disposed' })).toContain('Disposisi ini sudah pernah dikirim');
  });

  it('falls back to a Bahasa sentence that names an unknown code for support', () => {
    expect(fallbackWords('xyz')).toBe('Permintaan ditolak (kode: xyz).');
    expect(errorWords(new ApiError(409, { code: 'brand_new_code', detail: 'something new' }))).toBe(
      'Permintaan ditolak (kode: brand_new_code).',
    );
    expect(problemWords(undefined)).toBe('Permintaan ditolak (kode: tidak_diketahui).');
  });

  it('words an answer without our code by its status (the gateway, a download)', () => {
    expect(errorWords(new ApiError(401, { message: 'Unauthorized' }))).toBe(PROBLEM_WORDS['unauthenticated']);
    expect(errorWords(new ApiError(404, null))).toBe(PROBLEM_WORDS['not_found']);
    expect(errorWords(new ApiError(500, null))).toContain('gangguan di server');
    expect(errorWords(new ApiError(418, null))).toBe('Permintaan ditolak (kode: http_418).');
  });

  it('says no connection in Bahasa for a network failure', () => {
    expect(errorWords(new NetworkError('Failed to fetch'))).toContain('Tidak ada sambungan');
  });

  it('adds the code once for the offline queue', () => {
    expect(problemWithCode({ code: 'invalid_transition', status: 409 })).toBe(
      `${PROBLEM_WORDS['invalid_transition']} (kode: invalid_transition)`,
    );
    expect(problemWithCode({ code: 'xyz', status: 409 })).toBe('Permintaan ditolak (kode: xyz).');
  });

  it('every message is a Bahasa sentence, not English', () => {
    for (const [code, words] of Object.entries(PROBLEM_WORDS)) {
      expect(words, code).toMatch(/[.]$/);
      expect(words, code).not.toMatch(ENGLISH);
    }
  });
});
