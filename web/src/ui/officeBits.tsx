// Pieces the clerks', drafters' and signers' screens share: a form field with its problem, the
// form's top problems, a file upload through a presigned form, a letter's history.

import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { HistoryEntry, Sifat, Urgensi } from '../api/client';
import { dateTime } from '../lib/format';
import type { FormProblems } from '../lib/fieldProblems';
import { sendUpload, UploadError, type Upload } from '../lib/presigned';
import { t } from '../strings';
import { o } from '../strings.office';
import '../styles/office.css';
import { errorWords } from '../lib/problems';

/** A labelled control; its problem (from a 422) right under it, tied by aria-describedby. */
/** The sifat and urgensi of a letter, picked from the official lists (incoming and outgoing
 * letters ask for both the same way); ``prefix`` keeps the field ids unique per form. */
export function SifatUrgensiFields({
  prefix,
  sifat,
  urgensi,
  problems,
  onSifat,
  onUrgensi,
}: {
  prefix: string;
  sifat: Sifat;
  urgensi: Urgensi;
  problems: Record<string, string | undefined>;
  onSifat: (e: Event) => void;
  onUrgensi: (e: Event) => void;
}) {
  return (
    <>
      <Field id={`${prefix}-sifat`} label={t.letter.sifat} problem={problems['sifat']}>
        {(describedBy) => (
          <select id={`${prefix}-sifat`} value={sifat} onChange={onSifat} aria-describedby={describedBy}>
            {(Object.keys(t.sifat) as Sifat[]).map((s) => (
              <option key={s} value={s}>
                {t.sifat[s]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id={`${prefix}-urgensi`} label={t.letter.urgensi} problem={problems['urgensi']}>
        {(describedBy) => (
          <select id={`${prefix}-urgensi`} value={urgensi} onChange={onUrgensi} aria-describedby={describedBy}>
            {(Object.keys(t.urgensi) as Urgensi[]).map((u) => (
              <option key={u} value={u}>
                {t.urgensi[u]}
              </option>
            ))}
          </select>
        )}
      </Field>
    </>
  );
}

export function Field({
  id,
  label,
  hint,
  problem,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  problem?: string | undefined;
  children: (describedBy: string | undefined, invalid: boolean) => ComponentChildren;
}) {
  const described = [hint ? `${id}-hint` : null, problem ? `${id}-problem` : null].filter(Boolean).join(' ');
  return (
    <div class={`field ${problem ? 'has-problem' : ''}`}>
      <label for={id}>{label}</label>
      {hint && (
        <span id={`${id}-hint`} class="hint">
          {hint}
        </span>
      )}
      {children(described || undefined, Boolean(problem))}
      {problem && (
        <span id={`${id}-problem`} class="field-problem" data-testid={`problem-${id}`}>
          {problem}
        </span>
      )}
    </div>
  );
}

export function FormTop({ problems }: { problems: FormProblems | null }) {
  if (!problems || problems.general.length === 0) return null;
  return (
    <div class="problem" role="alert" data-testid="form-problem">
      {problems.general.map((p, i) => (
        <p key={i}>{p}</p>
      ))}
    </div>
  );
}

/**
 * Choose a file and send it with a presigned form the caller gets from the API when needed
 * (a form expires: a fresh one for each attempt). `accept` limits the picker, not the check:
 * the intake function judges the file by its content.
 */
export function UploadBox({
  id,
  label,
  hint,
  accept,
  online,
  getForm,
  onSent,
}: {
  id: string;
  label: string;
  hint?: string;
  accept: string;
  online: boolean;
  getForm: () => Promise<Upload>;
  onSent: () => void;
}) {
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const send = async () => {
    if (!file) return;
    setBusy(true);
    setProblem(null);
    try {
      const form = await getForm();
      await sendUpload(form, file);
      setFile(null);
      onSent();
    } catch (error) {
      setProblem(error instanceof UploadError ? error.message : errorWords(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="upload-box">
      <Field id={id} label={label} hint={hint} problem={problem ?? undefined}>
        {(describedBy, invalid) => (
          <input
            id={id}
            type="file"
            accept={accept}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
            onChange={(e) => setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null)}
          />
        )}
      </Field>
      {!online && <p class="hint">{o.upload.needsOnline}</p>}
      <button
        type="button"
        class="button primary"
        disabled={!file || busy || !online}
        onClick={() => void send()}
      >
        {busy ? o.upload.sending : o.upload.send}
      </button>
    </div>
  );
}

/** What happened to a letter (or a draft), oldest first; refusals stand out with their reason. */
export function History({ entries, names }: { entries: HistoryEntry[]; names?: Record<string, string> }) {
  if (entries.length === 0) return <p class="empty">{o.history.empty}</p>;
  return (
    <ol class="history" data-testid="history">
      {entries.map((h, i) => {
        const refused = h.action === 'file_rejected' || h.action === 'version_refused';
        const reason = typeof h.details?.['reason'] === 'string' ? h.details['reason'] : null;
        return (
          <li key={i} class={refused ? 'refused' : ''}>
            <span class="history-when">{dateTime(h.at)}</span>{' '}
            <strong>{o.history.actions[h.action] ?? h.action}</strong>
            {h.actor_nip && <span class="hint"> · {names?.[h.actor_nip] ?? h.actor_nip}</span>}
            {reason && <span class="history-reason">: {o.reason[reason] ?? reason}</span>}
          </li>
        );
      })}
    </ol>
  );
}
