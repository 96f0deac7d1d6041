// Laporan TPP: a month's report for the regency or one unit: its status and versions, asking for
// a (re)run and following it until it is done, the files (XLSX, CSV, JSON and the rest of the
// version), and freezing a paid month after a confirmation.

import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, ok, type Schemas, type Unit } from '../../api/client';
import { useApp } from '../../app/context';
import { useKept } from '../../app/useKept';
import { fetchBytes, saveBytes } from '../../lib/download';
import { dateTime } from '../../lib/format';
import { currentMonth, hasEnded, lastEndedMonth, monthLabel } from '../../lib/months';
import { r } from '../../strings.hr';
import { Loading, ProblemNote, RefreshButton } from '../../ui/bits';
import { MonthPicker } from './MonthPicker';
import '../../styles/heads.css';

type ReportStatus = Schemas['ReportStatus'];
type ReportVersion = Schemas['ReportVersion'];
type FileLink = Schemas['FileLink'];
const w = r.reports;
const BUSY: Schemas['RunState'][] = ['queued', 'running'];

/** The report, or null when the month has none yet (404 report_not_found is no error here). */
async function status(call: Promise<ReportStatus>): Promise<ReportStatus | null> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404 && error.code === 'report_not_found') return null;
    throw error;
  }
}

export function Reports() {
  const { api, user } = useApp();
  const [month, setMonth] = useState(lastEndedMonth());
  const [unit, setUnit] = useState('');
  const [problem, setProblem] = useState<unknown>(undefined);
  const [notice, setNotice] = useState<string | null>(null);
  const units = useKept<Unit[]>(`${user}:units`, () => ok(api.GET('/units')));
  const scope = { month, unit: unit || undefined };
  const report = useKept(`${user}:tpp-report:${month}:${unit}`, () =>
    status(ok(api.GET('/tpp/reports/{month}', { params: { path: { month }, query: { unit: scope.unit } } }))),
  );
  const data = report.data;
  const running = !!data && data.runs.length > 0 && BUSY.includes(data.runs[0]!.state);
  // Follow a run until it is done: every 2 s while the latest run is queued or running.
  const reload = useRef(report.reload);
  reload.current = report.reload;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => void reload.current(), 2000);
    return () => clearInterval(timer);
  }, [running, month, unit]);
  const request = async () => {
    setProblem(undefined);
    setNotice(null);
    try {
      await ok(api.POST('/tpp/reports', { body: { month, unit_id: unit || null } }));
      setNotice(w.requested);
      await report.reload();
    } catch (error) {
      setProblem(error);
    }
  };
  const latest = data?.versions.length ? data.versions[data.versions.length - 1] : undefined;
  const ended = hasEnded(month);
  return (
    <section class="screen">
      <div class="screen-head">
        <h1>{w.title}</h1>
        <RefreshButton busy={report.loading} onClick={() => void report.reload()} />
      </div>
      <div class="filters">
        <MonthPicker id="tpp-month" value={month} max={currentMonth()} onChange={setMonth} />
        <div class="field">
          <label for="tpp-scope">{w.scope}</label>
          <select id="tpp-scope" value={unit} onChange={(e) => setUnit((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">{w.regency}</option>
            {(units.data ?? []).map((u) => (
              <option key={u.unit_id} value={u.unit_id}>
                {u.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ProblemNote error={report.error && data === undefined ? report.error : undefined} />
      <Loading when={report.loading && data === undefined}>
        <div class="card" data-testid="report-status">
          {!latest && !running && <p>{ended ? w.none : w.notOver}</p>}
          {data?.frozen && (
            <p class="notice" data-testid="frozen">
              {w.frozen(dateTime(data.frozen_at), data.frozen_version)}
            </p>
          )}
          {data && data.runs[0] && <RunLine run={data.runs[0]} />}
          {running && (
            <p role="status" aria-live="polite">
              {w.waiting}
            </p>
          )}
          {ended && !data?.frozen && (
            <div class="actions">
              <button type="button" class="button primary" disabled={running} onClick={() => void request()}>
                {latest ? w.rerun : w.request}
              </button>
              {latest && <FreezeButton month={month} unit={unit} onDone={() => void report.reload()} />}
            </div>
          )}
          {notice && !running && <p role="status">{notice}</p>}
          <ProblemNote error={problem} />
        </div>
        {latest && <VersionCard v={latest} unit={unit} />}
        {data && data.versions.length > 1 && (
          <details class="card">
            <summary>{w.version(data.versions.length - 1)}…</summary>
            <ul class="plain">
              {data.versions
                .slice(0, -1)
                .reverse()
                .map((v) => (
                  <li key={v.version}>
                    {w.version(v.version)} · {w.computedAt(dateTime(v.computed_at))} · {w.paidTotal}: {r.rupiah(v.paid_total)}
                  </li>
                ))}
            </ul>
          </details>
        )}
      </Loading>
    </section>
  );
}

function RunLine({ run }: { run: Schemas['ReportRun'] }) {
  return (
    <p data-testid="run-state">
      <strong>{w.latestRun}:</strong> <span class={`badge run ${run.state}`}>{r.runState[run.state]}</span>{' '}
      <span class="item-meta">{w.runBy(run.requested_by, dateTime(run.requested_at))}</span>
    </p>
  );
}

function VersionCard({ v, unit }: { v: ReportVersion; unit: string }) {
  return (
    <div class="card" data-testid="report-version">
      <h2>
        {w.latest}: {w.version(v.version)}
      </h2>
      <p class="item-meta">
        {w.computedAt(dateTime(v.computed_at))} · {w.ruleSet(v.rule_set.name, v.rule_set.version)}
      </p>
      <dl class="meta">
        <dt>{w.employees}</dt>
        <dd>{v.employees}</dd>
        <dt>{w.tppTotal}</dt>
        <dd>{r.rupiah(v.tpp_total)}</dd>
        <dt>{w.deductionTotal}</dt>
        <dd>{r.rupiah(v.deduction_total)}</dd>
        <dt>{w.paidTotal}</dt>
        <dd>{r.rupiah(v.paid_total)}</dd>
        <dt>{w.pendingDays}</dt>
        <dd>{v.pending_days}</dd>
      </dl>
      {v.changed_employees != null && v.version > 1 && <p class="item-meta">{w.changed(v.changed_employees)}</p>}
      <Downloads month={v.month} unit={unit} version={v.version} />
    </div>
  );
}

/** The version's own three files first, the rest (per unit, the changes) folded. */
function Downloads({ month, unit, version }: { month: string; unit: string; version: number }) {
  const { api } = useApp();
  const [problem, setProblem] = useState<unknown>(undefined);
  const [busy, setBusy] = useState<string | null>(null);
  const [files, setFiles] = useState<FileLink[] | null>(null);
  const links = () =>
    ok(api.GET('/tpp/reports/{month}/files', { params: { path: { month }, query: { unit: unit || undefined, version } } }));
  useEffect(() => {
    setFiles(null);
    links().then(setFiles, setProblem);
  }, [month, unit, version]);
  // The links live 5 minutes: ask again for a fresh one at each tap.
  const save = async (name: string) => {
    setBusy(name);
    setProblem(undefined);
    try {
      const fresh = await links();
      setFiles(fresh);
      const link = fresh.find((f) => f.name === name);
      if (!link) return;
      const bytes = await fetchBytes({ url: link.url, expires_at: link.expires_at, media_type: link.media_type, size: link.bytes });
      saveBytes(bytes, name.split('/').pop() ?? name, link.media_type);
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(null);
    }
  };
  const main = (ext: string) => `tpp-${month}.${ext}`;
  const others = (files ?? []).filter((f) => !['xlsx', 'csv', 'json'].some((ext) => f.name === main(ext)));
  const has = (ext: string) => (files ?? []).some((f) => f.name === main(ext));
  return (
    <div>
      <h3>{w.downloads}</h3>
      <div class="actions" data-testid="downloads">
        {(['xlsx', 'csv', 'json'] as const).map((ext) => (
          <button key={ext} type="button" class="button" disabled={!has(ext) || busy !== null} onClick={() => void save(main(ext))}>
            {w[ext]}
          </button>
        ))}
      </div>
      {others.length > 0 && (
        <details>
          <summary>{w.allFiles}</summary>
          <ul class="plain">
            {others.map((f) => (
              <li key={f.name}>
                <button type="button" class="button quiet" disabled={busy !== null} onClick={() => void save(f.name)}>
                  {f.name} ({w.bytes(f.bytes)})
                </button>
              </li>
            ))}
          </ul>
        </details>
      )}
      <ProblemNote error={problem} />
    </div>
  );
}

function FreezeButton({ month, unit, onDone }: { month: string; unit: string; onDone: () => void }) {
  const { api } = useApp();
  const dialog = useRef<HTMLDialogElement>(null);
  const [problem, setProblem] = useState<unknown>(undefined);
  const freeze = async () => {
    setProblem(undefined);
    try {
      await ok(api.POST('/tpp/reports/{month}/freeze', { params: { path: { month }, query: { unit: unit || undefined } } }));
      dialog.current?.close();
      onDone();
    } catch (error) {
      setProblem(error);
    }
  };
  return (
    <>
      <button type="button" class="button danger" onClick={() => dialog.current?.showModal()}>
        {w.freeze}
      </button>
      <dialog ref={dialog} aria-labelledby="freeze-title">
        <h2 id="freeze-title">{w.freezeTitle}</h2>
        <p>{w.freezeBody(monthLabel(month))}</p>
        <div class="actions">
          <button type="button" class="button danger" onClick={() => void freeze()}>
            {w.freezeConfirm}
          </button>
          <button type="button" class="button" onClick={() => dialog.current?.close()}>
            {w.cancel}
          </button>
        </div>
        <ProblemNote error={problem} />
      </dialog>
    </>
  );
}
