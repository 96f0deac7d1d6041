// Impor CSV: the file is checked by the API's dry run first (POST /employees/import?dry_run=true)
// and every bad row is shown, with the counts, before anything is written (ADR 0007: all rows or
// none). "Terapkan" sends the same bytes for real; the import answers the sign-in job it queued,
// whose progress (GET /sign-ins/jobs/{id}) is shown, refreshed, until it is done.

import { useEffect, useState } from 'preact/hooks';
import { ApiError, NetworkError, ok, type Schemas } from '../../api/client';
import { useApp } from '../../app/context';
import { badRows, preview, type PreviewRow, type RowProblem } from '../../lib/csvPreview';
import { a } from '../../strings.admin';
import { ProblemNote } from '../../ui/bits';
import './admin.css';

type Report = Schemas['ImportReport'];
type Job = Schemas['SignInJobDetail'];
const w = a.import;
const POLL_MS = 1500;

interface Checked {
  text: string;
  report: Report | null;
  rows: PreviewRow[];
}

export function Import() {
  const { api } = useApp();
  const [text, setText] = useState<string | null>(null);
  const [checked, setChecked] = useState<Checked | null>(null);
  const [applied, setApplied] = useState<Report | null>(null);
  const [busy, setBusy] = useState<'check' | 'apply' | null>(null);
  const [problem, setProblem] = useState<unknown>(undefined);

  /** The import call; a 422 import_rejected gives its rows instead of throwing. */
  const send = async (body: string, dryRun: boolean): Promise<{ report: Report | null; problems: RowProblem[] }> => {
    let result;
    try {
      result = await api.POST('/employees/import', {
        params: { query: { dry_run: dryRun } },
        body,
        bodySerializer: (b: string) => b,
        headers: { 'content-type': 'text/csv' },
      });
    } catch (error) {
      throw new NetworkError(error instanceof Error ? error.message : String(error));
    }
    if (result.response.ok) return { report: result.data!, problems: [] };
    const error = result.error as { code?: string; rows?: RowProblem[] } | undefined;
    if (error?.code === 'import_rejected' && Array.isArray(error.rows)) return { report: null, problems: error.rows };
    throw new ApiError(result.response.status, result.error);
  };

  const check = async (body: string) => {
    setBusy('check');
    setProblem(undefined);
    setApplied(null);
    setChecked(null);
    try {
      const { report, problems } = await send(body, true);
      setChecked({ text: body, report, rows: preview(body, problems) });
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(null);
    }
  };

  const apply = async () => {
    if (!checked?.report || checked.text !== text) return;
    setBusy('apply');
    setProblem(undefined);
    try {
      const { report, problems } = await send(checked.text, false);
      if (report) setApplied(report);
      else setChecked({ ...checked, report: null, rows: preview(checked.text, problems) }); // changed meanwhile
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(null);
    }
  };

  const choose = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file) return;
    const body = await file.text();
    setText(body);
    await check(body);
  };

  const bad = checked ? badRows(checked.rows) : [];
  return (
    <section class="screen admin">
      <div class="screen-head">
        <h1>{w.title}</h1>
      </div>
      <p class="item-meta">{w.lead}</p>
      <div class="field">
        <label for="import-file">{w.file}</label>
        <input
          id="import-file"
          type="file"
          accept=".csv,text/csv"
          disabled={busy !== null}
          onChange={(e) => void choose(e.currentTarget)}
        />
      </div>
      {busy === 'check' && <p class="loading" aria-busy="true">{w.checking}</p>}
      <ProblemNote error={problem} />
      {checked && !applied && (
        <div data-testid="import-preview">
          {checked.report ? (
            <p class="notice" role="status">
              {w.counts(checked.report.rows, checked.report.created, checked.report.updated)} {w.allGood}
            </p>
          ) : (
            <p class="problem" role="alert">
              {w.bad(bad.length)}
            </p>
          )}
          <RowsTable rows={bad.length ? bad : checked.rows.slice(0, 50)} />
          <div class="actions">
            <button
              type="button"
              class="button"
              disabled={!checked.report || busy !== null}
              onClick={() => void apply()}
            >
              {busy === 'apply' ? w.applying : w.apply}
            </button>
            {text !== null && (
              <button type="button" class="button secondary" disabled={busy !== null} onClick={() => void check(text)}>
                {w.check}
              </button>
            )}
          </div>
        </div>
      )}
      {applied && (
        <div data-testid="import-applied">
          <p class="notice" role="status">
            {w.applied(applied.rows, applied.created, applied.updated)}
          </p>
          {applied.sign_ins?.job_id ? <JobProgress jobId={applied.sign_ins.job_id} /> : <p class="item-meta">{w.noJob}</p>}
        </div>
      )}
    </section>
  );
}

function RowsTable({ rows }: { rows: PreviewRow[] }) {
  return (
    // Wider than a phone: scrolled sideways, so it can take focus and be scrolled by keyboard.
    <div class="scroll-x" tabIndex={0} role="region" aria-label={w.rowsRegion}>
      <table data-testid="import-rows">
        <thead>
          <tr>
            <th scope="col">{w.row}</th>
            <th scope="col">{w.nip}</th>
            <th scope="col">{w.name}</th>
            <th scope="col">{w.unit}</th>
            <th scope="col">{w.problems}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.row} class={r.messages.length ? 'bad' : undefined} data-row={r.row}>
              <td>{r.row}</td>
              <td>{r.nip}</td>
              <td>{r.name}</td>
              <td>{r.unit}</td>
              <td>
                {r.messages.length ? (
                  <ul class="plain">
                    {r.messages.map((m, i) => (
                      <li key={i}>{m}</li>
                    ))}
                  </ul>
                ) : (
                  w.ok
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The sign-in job's counts, read again until it is no longer in progress. */
function JobProgress({ jobId }: { jobId: string }) {
  const { api } = useApp();
  const [job, setJob] = useState<Job | null>(null);
  const [problem, setProblem] = useState<unknown>(undefined);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = async () => {
      try {
        const fresh = await ok(api.GET('/sign-ins/jobs/{job_id}', { params: { path: { job_id: jobId } } }));
        if (stopped) return;
        setJob(fresh);
        setProblem(undefined);
        if (fresh.state === 'in_progress') timer = setTimeout(() => void read(), POLL_MS);
      } catch (error) {
        if (stopped) return;
        setProblem(error);
        timer = setTimeout(() => void read(), POLL_MS * 4);
      }
    };
    void read();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [jobId]);
  const done = job ? job.created + job.already_existed + job.failed : 0;
  return (
    <div class="card" data-testid="signin-job" data-state={job?.state ?? 'loading'}>
      <h2>{w.job}</h2>
      <ProblemNote error={problem} />
      {job && (
        <>
          <p role="status">
            {w.jobState[job.state] ?? job.state}: {w.jobCounts(job.created + job.already_existed, job.failed, job.pending, job.total)}
          </p>
          <progress class="progress" max={Math.max(1, job.total)} value={done} aria-label={w.job} />
          {(job.failures ?? []).length > 0 && (
            <>
              <h3>{w.failures}</h3>
              <ul class="plain">
                {(job.failures ?? []).map((f) => (
                  <li key={f.nip}>
                    {f.username} (NIP {f.nip}): {f.message}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </div>
  );
}
