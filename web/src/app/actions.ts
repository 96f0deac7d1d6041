// The writes an official makes (dispose, approve a prepared disposition, act on an
// assignment) go through the queue, online or not: queued with their Idempotency-Key, then sent
// at once. Offline, they wait and the user is told so; a refusal is shown with the server's
// message.

import { ApiError, NetworkError, ok, type Api } from '../api/client';
import type { FlushResult, Outcome, QueuedAction, Queue } from '../offline/queue';
import { t } from '../strings';

/** Answers after which the same request is tried again later, with the same key. */
export function isRetryable(error: ApiError): boolean {
  return (
    error.status === 401 ||
    error.status === 408 ||
    error.status === 429 ||
    error.status >= 500 ||
    (error.status === 409 && error.code === 'idempotency_in_progress')
  );
}

export function sender(api: Api): (action: QueuedAction) => Promise<Outcome> {
  return async (action) => {
    const headers = { 'Idempotency-Key': action.key };
    const letter_id = action.letterId;
    const assignment_id = action.params['assignment_id'] ?? '';
    const prepared_id = action.params['prepared_id'] ?? '';
    try {
      let data: unknown;
      switch (action.kind) {
        case 'dispose':
          data = await ok(
            api.POST('/letters/{letter_id}/dispositions', {
              params: { path: { letter_id } },
              body: action.body as never,
              headers,
            }),
          );
          break;
        case 'approve':
          data = await ok(
            api.POST('/letters/{letter_id}/prepared-dispositions/{prepared_id}/approve', {
              params: { path: { letter_id, prepared_id } },
              headers,
            }),
          );
          break;
        case 'start':
          data = await ok(
            api.POST('/letters/{letter_id}/assignments/{assignment_id}/start', {
              params: { path: { letter_id, assignment_id } },
              headers,
            }),
          );
          break;
        case 'complete':
          data = await ok(
            api.POST('/letters/{letter_id}/assignments/{assignment_id}/complete', {
              params: { path: { letter_id, assignment_id } },
              body: action.body as never,
              headers,
            }),
          );
          break;
        case 'return':
          data = await ok(
            api.POST('/letters/{letter_id}/assignments/{assignment_id}/return', {
              params: { path: { letter_id, assignment_id } },
              body: action.body as never,
              headers,
            }),
          );
          break;
        case 'review':
          data = await ok(
            api.POST('/outgoing/{outgoing_id}/reviews', {
              params: { path: { outgoing_id: letter_id } },
              body: action.body as never,
              headers,
            }),
          );
          break;
      }
      return { kind: 'sent', data };
    } catch (error) {
      if (error instanceof NetworkError) return { kind: 'network' };
      if (error instanceof ApiError) {
        if (isRetryable(error)) return { kind: 'network', status: error.status, code: error.code };
        return { kind: 'refused', status: error.status, code: error.code, detail: error.detail };
      }
      return { kind: 'network' };
    }
  };
}

export type ActResult =
  | { kind: 'sent'; data: unknown }
  /** Not sent yet; `message` says why, in the user's words. */
  | { kind: 'queued'; action: QueuedAction; message: string }
  | { kind: 'refused'; action: QueuedAction };

/** Why a queued action was not sent now, for the user (Bahasa Indonesia). */
export function waitingReason(result: FlushResult, entryId: string): string {
  if (result.refused && result.refused.id !== entryId) return t.waitingBlocked;
  if (result.offline) {
    const status = result.waitStatus;
    if (status === undefined) return t.queuedOffline;
    if (status === 401) return t.waitingSession;
    if (status === 409) return t.waitingInProgress;
    return t.waitingServer;
  }
  return t.waitingQueue;
}

/** Queue an action and try to send the queue now; what became of this action. */
export async function act(
  queue: Queue,
  api: Api,
  action: Parameters<Queue['add']>[0],
): Promise<ActResult> {
  const entry = await queue.add(action);
  let result = await queue.flush(action.user, sender(api));
  // The flush joined may have started before this action was queued: one more, then.
  if (!result.offline && !result.refused && !result.sent.some((s) => s.action.id === entry.id))
    result = await queue.flush(action.user, sender(api));
  const sent = result.sent.find((s) => s.action.id === entry.id);
  if (sent) return { kind: 'sent', data: sent.data };
  if (result.refused?.id === entry.id) {
    // The user sees the refusal right here: it leaves the queue.
    await queue.dismiss(entry.id);
    return { kind: 'refused', action: result.refused };
  }
  return { kind: 'queued', action: entry, message: waitingReason(result, entry.id) };
}
