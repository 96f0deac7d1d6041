// Where a letter's file stands: the scan goes to the bucket, the intake function checks it by
// content and attaches it (a file in `files`) or refuses it (`file_rejected` in the history,
// with the reason); both happen some seconds after S3's 204. The screen compares with what it
// saw when the file was sent, so an older refusal is not taken for this upload's answer.

import type { HistoryEntry, Letter } from '../api/client';

export interface Baseline {
  files: number;
  refusals: number;
}

export type IntakeState =
  | { kind: 'awaiting' }
  | { kind: 'checking' }
  | { kind: 'accepted'; pages: number; hasText: boolean }
  | { kind: 'refused'; reason: string; detail: string; at: string };

export function refusals(history: HistoryEntry[]): HistoryEntry[] {
  return history.filter((h) => h.action === 'file_rejected');
}

export function baselineOf(letter: Letter | undefined, history: HistoryEntry[] | undefined): Baseline {
  return { files: letter?.files?.length ?? 0, refusals: refusals(history ?? []).length };
}

function refusedFrom(entry: HistoryEntry): IntakeState {
  const d = entry.details ?? {};
  return {
    kind: 'refused',
    reason: typeof d['reason'] === 'string' ? d['reason'] : 'unknown',
    detail: typeof d['detail'] === 'string' ? d['detail'] : '',
    at: entry.at,
  };
}

/** The state to show; `since` is what was there when this device sent a file (if it did). */
export function intakeState(letter: Letter, history: HistoryEntry[], since: Baseline | null): IntakeState {
  const files = letter.files ?? [];
  const refused = refusals(history);
  const last = files.at(-1);
  const accepted: IntakeState | null = last
    ? { kind: 'accepted', pages: last.pages, hasText: last.has_text }
    : null;
  if (since) {
    if (files.length > since.files && accepted) return accepted;
    if (refused.length > since.refusals) return refusedFrom(refused.at(-1)!);
    return { kind: 'checking' };
  }
  if (accepted) return accepted;
  if (refused.length > 0) return refusedFrom(refused.at(-1)!);
  return { kind: 'awaiting' };
}
