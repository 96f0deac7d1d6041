// Cuti & izin: his requests with their approval state (and the head's note), a cancel while
// the rules allow it, and a form to file one with a document photographed by the phone's
// camera or chosen as a file (uploaded through its presigned form first, then named).

import { useState } from 'preact/hooks';
import { ok, type Schemas } from '../../api/client';
import { useApp } from '../../app/context';
import { useKept } from '../../app/useKept';
import { date } from '../../lib/format';
import { sendUpload } from '../../lib/presigned';
import { compress, decodeFile } from '../../lib/selfie';
import { s } from '../../strings.staff';
import { KeptNote, Loading, ProblemNote, RefreshButton } from '../../ui/bits';
import '../../styles/staff.css';

type Leave = Schemas['Leave'];
type LeaveType = Schemas['LeaveType'];
type Page = Schemas['Page_Leave_'];
const w = s.leave;
const TYPES = Object.keys(s.leaveType) as LeaveType[];
/** A photographed document is made smaller, still legible: 1600 px on its long side. */
const DOCUMENT_SIDE = 1600;

export function MyLeave() {
  const { api, user } = useApp();
  const page = useKept<Page>(`${user}:leaves`, () => ok(api.GET('/leaves', { params: { query: { mine: true } } })));
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<unknown>(undefined);
  const cancel = async (leave: Leave) => {
    setProblem(undefined);
    try {
      await ok(api.POST('/leaves/{leave_id}/cancel', { params: { path: { leave_id: leave.leave_id } }, body: null }));
      setNotice(w.cancelled);
      await page.reload();
    } catch (error) {
      setProblem(error);
    }
  };
  const items = page.data?.items ?? [];
  return (
    <section class="screen staff">
      <div class="screen-head">
        <h1>{w.title}</h1>
        <RefreshButton busy={page.loading} onClick={() => void page.reload()} />
      </div>
      <LeaveForm
        onFiled={() => {
          setNotice(w.filed);
          void page.reload();
        }}
      />
      <div role="status" aria-live="polite">
        {notice && <p class="notice">{notice}</p>}
      </div>
      <ProblemNote error={problem} />
      <h2>{w.mine}</h2>
      <KeptNote savedAt={page.savedAt} fromDevice={page.fromDevice} />
      <ProblemNote error={!page.data ? page.error : undefined} />
      <Loading when={page.loading && !page.data}>
        {items.length === 0 ? (
          <p class="empty">{w.empty}</p>
        ) : (
          <ul class="days" data-testid="leaves">
            {items.map((l) => (
              <li key={l.leave_id} class={`leave ${l.state}`} data-state={l.state}>
                <div class="day-head">
                  <strong>{s.leaveType[l.type]}</strong>
                  <span class={`badge leave-${l.state}`}>{s.leaveState[l.state]}</span>
                </div>
                <div>{w.period(date(l.starts_on), date(l.ends_on))}</div>
                <div class="item-meta">
                  {l.reason}
                  {l.document_id && ` · ${w.hasDocument}`}
                </div>
                {lastNote(l) && <div class="item-meta">{w.note(lastNote(l)!)}</div>}
                {cancellable(l) && (
                  <button type="button" class="button quiet" onClick={() => void cancel(l)}>
                    {w.cancel}
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </Loading>
    </section>
  );
}

function lastNote(l: Leave): string | null {
  const noted = [...(l.history ?? [])].reverse().find((e) => e.note);
  return noted?.note ?? null;
}

/** What the API lets him cancel himself: pending, or approved and not yet begun (WITA). */
function cancellable(l: Leave): boolean {
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  return l.state === 'pending' || (l.state === 'approved' && l.starts_on > today);
}

function LeaveForm({ onFiled }: { onFiled: () => void }) {
  const { api } = useApp();
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const [type, setType] = useState<LeaveType>('izin');
  const [starts, setStarts] = useState(today);
  const [ends, setEnds] = useState(today);
  const [reason, setReason] = useState('');
  const [travelOrder, setTravelOrder] = useState('');
  const [destination, setDestination] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<unknown>(undefined);

  const submit = async () => {
    setProblem(undefined);
    try {
      let document_id: string | null = null;
      if (file) {
        setBusy(w.uploading);
        const body = await documentBody(file);
        const form = await ok(api.POST('/leaves/documents', { body: { content_type: body.type as 'image/jpeg' } }));
        await sendUpload(form.upload, body);
        document_id = form.document_id;
      }
      setBusy(w.submitting);
      const travel = type === 'dinas_luar';
      await ok(
        api.POST('/leaves', {
          body: {
            type,
            starts_on: starts,
            ends_on: ends,
            reason,
            document_id,
            travel_order_number: travel ? travelOrder : null,
            destination: travel ? destination : null,
          },
        }),
      );
      setReason('');
      setFile(null);
      onFiled();
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(null);
    }
  };

  return (
    <form
      class="card"
      aria-labelledby="leave-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 id="leave-form">{w.file}</h2>
      <label for="leave-type">{w.type}</label>
      <select id="leave-type" value={type} onChange={(e) => setType((e.currentTarget as HTMLSelectElement).value as LeaveType)}>
        {TYPES.map((t) => (
          <option key={t} value={t}>
            {s.leaveType[t]}
          </option>
        ))}
      </select>
      <div class="row">
        <label>
          {w.starts}
          <input type="date" required value={starts} onInput={(e) => setStarts((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <label>
          {w.ends}
          <input type="date" required value={ends} onInput={(e) => setEnds((e.currentTarget as HTMLInputElement).value)} />
        </label>
      </div>
      <label>
        {w.reason}
        <textarea required minLength={3} maxLength={1000} value={reason} onInput={(e) => setReason((e.currentTarget as HTMLTextAreaElement).value)} />
      </label>
      {type === 'dinas_luar' && (
        <>
          <label>
            {w.travelOrder}
            <input required value={travelOrder} onInput={(e) => setTravelOrder((e.currentTarget as HTMLInputElement).value)} />
          </label>
          <label>
            {w.destination}
            <input required value={destination} onInput={(e) => setDestination((e.currentTarget as HTMLInputElement).value)} />
          </label>
        </>
      )}
      <label>
        {w.document}
        <input
          type="file"
          accept="image/jpeg,image/png,application/pdf"
          aria-describedby="leave-doc-hint"
          onChange={(e) => setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null)}
        />
      </label>
      <p id="leave-doc-hint" class="item-meta">
        {w.documentHint}
      </p>
      <ProblemNote error={problem} />
      <button type="submit" class="button primary" disabled={busy !== null}>
        {busy ?? w.submit}
      </button>
    </form>
  );
}

/** A PDF as it is; a photo made smaller (a phone's 12 MP photo is 4-6 MB, over a weak network). */
async function documentBody(file: File): Promise<Blob> {
  if (file.type === 'application/pdf') return file;
  try {
    const decoded = await decodeFile(file);
    const small = await compress(decoded.source, decoded.width, decoded.height, DOCUMENT_SIDE, { min: 80_000, max: 400_000 });
    return small.blob.size < file.size ? small.blob : file;
  } catch {
    return file;
  }
}
