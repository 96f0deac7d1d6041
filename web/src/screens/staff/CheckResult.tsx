// One check-in's answer in plain words: diterima, ditolak and why, or menunggu tinjauan and
// what will be reviewed; the server's own sentence (Bahasa Indonesia) below.

import type { CheckInResult } from '../../lib/attendance';
import { dateTime } from '../../lib/format';
import { s } from '../../strings.staff';

export function CheckResult({ result }: { result: CheckInResult }) {
  const reasons = (result.reasons ?? []).map((r) => s.reason[r] ?? r);
  const flags = (result.flags ?? []).map((f) => s.flag[f] ?? f);
  return (
    <div class={`card check-result ${result.state}`} data-testid="check-result" data-state={result.state}>
      <p class="check-verdict">
        <strong>
          {s.checkIn.kind[result.kind]}: {s.state[result.state]}
        </strong>{' '}
        <span class="item-meta">{dateTime(result.effective_at)}</span>
      </p>
      {result.state === 'rejected' && reasons.length > 0 && <p>{s.reasons(reasons)}</p>}
      {result.state === 'pending_review' && flags.length > 0 && <p>{s.review(flags)}</p>}
      <p class="item-meta">{result.message}</p>
    </div>
  );
}
