// Buat konsep: a new outgoing letter (POST /outgoing): jenis naskah, classification code,
// perihal, recipients (units of the regency or outside parties), signers and reviewers in order
// (by NIP), then its PDF with the presigned form the answer carries. The API's 422 is shown next
// to each field; the draft's page then follows the intake's check of the file.

import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ok, type Schemas, type Sifat, type Urgensi } from '../../api/client';
import { useApp } from '../../app/context';
import { useKept } from '../../app/useKept';
import { formProblems, type FormProblems } from '../../lib/fieldProblems';
import { sendUpload } from '../../lib/presigned';
import { t } from '../../strings';
import { o } from '../../strings.office';
import { Field, FormTop, SifatUrgensiFields } from '../../ui/officeBits';

type OutgoingCreate = Schemas['OutgoingCreate'];
type OutgoingKind = Schemas['OutgoingKind'];

export interface RecipientRow {
  kind: 'unit' | 'external';
  unit_id: string;
  name: string;
  address: string;
}

export interface DraftValues {
  kind: OutgoingKind;
  classification_code: string;
  subject: string;
  summary: string;
  sifat: Sifat;
  urgensi: Urgensi;
  recipients: RecipientRow[];
  signers: string;
  reviewers: string;
}

const lines = (s: string) =>
  s
    .split(/[\n,;]+/)
    .map((x) => x.trim())
    .filter(Boolean);

export function draftBody(v: DraftValues): OutgoingCreate {
  const body: Record<string, unknown> = {
    kind: v.kind,
    classification_code: v.classification_code.trim() || undefined,
    subject: v.subject.trim() || undefined,
    summary: v.summary.trim() || undefined,
    sifat: v.sifat,
    urgensi: v.urgensi,
    recipients: v.recipients.map((r) =>
      r.kind === 'unit'
        ? { kind: 'unit', unit_id: r.unit_id || undefined }
        : { kind: 'external', name: r.name.trim() || undefined, address: r.address.trim() || undefined },
    ),
    signers: lines(v.signers),
    reviewers: lines(v.reviewers),
  };
  for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
  return body as unknown as OutgoingCreate;
}

const START: DraftValues = {
  kind: 'surat_dinas',
  classification_code: '',
  subject: '',
  summary: '',
  sifat: 'biasa',
  urgensi: 'biasa',
  recipients: [{ kind: 'unit', unit_id: '', name: '', address: '' }],
  signers: '',
  reviewers: '',
};

export function NewDraft() {
  const { api, user, online } = useApp();
  const { route } = useLocation();
  const units = useKept<Schemas['Unit'][]>(`${user}:units`, () => ok(api.GET('/units')));
  const [v, setV] = useState<DraftValues>(START);
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<FormProblems | null>(null);

  const known = [
    'kind',
    'classification_code',
    'subject',
    'summary',
    'sifat',
    'urgensi',
    'recipients',
    'signers',
    'reviewers',
    ...v.recipients.map((_, i) => `recipients.${i}`),
  ];
  const p = problems?.fields ?? {};
  const set = (key: keyof DraftValues) => (e: Event) =>
    setV({ ...v, [key]: (e.currentTarget as HTMLInputElement).value });
  const setRow = (i: number, patch: Partial<RecipientRow>) =>
    setV({ ...v, recipients: v.recipients.map((r, j) => (j === i ? { ...r, ...patch } : r)) });

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setProblems(null);
    try {
      const created = await ok(api.POST('/outgoing', { body: draftBody(v) }));
      let problem = '';
      if (file) {
        try {
          await sendUpload(created.upload, file);
        } catch (error) {
          problem = error instanceof Error ? error.message : String(error);
        }
      }
      const query = problem ? `?unggah=${encodeURIComponent(problem)}` : file ? '?unggah=ok' : '';
      route(`/surat-keluar/${created.outgoing.outgoing_id}${query}`);
    } catch (error) {
      setProblems(formProblems(error, known));
    } finally {
      setBusy(false);
    }
  };

  const input = (key: 'classification_code' | 'subject', label: string, hint?: string) => (
    <Field id={`d-${key}`} label={label} hint={hint} problem={p[key]}>
      {(describedBy, invalid) => (
        <input
          id={`d-${key}`}
          type="text"
          value={v[key]}
          onInput={set(key)}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
        />
      )}
    </Field>
  );

  return (
    <section class="screen">
      <h1>{o.outgoing.draftTitle}</h1>
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="draft-form">
        <FormTop problems={problems} />
        <div class="two-col">
          <fieldset>
            <legend>{t.letter.title}</legend>
            <Field id="d-kind" label={o.outgoing.kind} problem={p['kind']}>
              {(describedBy) => (
                <select id="d-kind" value={v.kind} onChange={set('kind')} aria-describedby={describedBy}>
                  {(Object.keys(o.kind) as OutgoingKind[]).map((k) => (
                    <option key={k} value={k}>
                      {o.kind[k]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {input('classification_code', o.register.classification, o.register.classificationHint)}
            {input('subject', o.register.subject)}
            <Field id="d-summary" label={`${o.register.summary} ${o.field.optional}`} problem={p['summary']}>
              {(describedBy) => (
                <textarea id="d-summary" value={v.summary} onInput={set('summary')} aria-describedby={describedBy} />
              )}
            </Field>
            <div class="filters">
              <SifatUrgensiFields
                prefix="d"
                sifat={v.sifat}
                urgensi={v.urgensi}
                problems={p}
                onSifat={set('sifat')}
                onUrgensi={set('urgensi')}
              />
            </div>
          </fieldset>
          <div>
            <fieldset>
              <legend>{o.outgoing.recipients}</legend>
              {p['recipients'] && (
                <p class="field-problem" data-testid="problem-recipients">
                  {p['recipients']}
                </p>
              )}
              {v.recipients.map((r, i) => (
                <div class="recipient-row" key={i}>
                  <Field id={`d-rk-${i}`} label={`${o.outgoing.recipients} ${i + 1}`} problem={p[`recipients.${i}`]}>
                    {(describedBy) => (
                      <select
                        id={`d-rk-${i}`}
                        value={r.kind}
                        aria-describedby={describedBy}
                        onChange={(e) => setRow(i, { kind: (e.currentTarget as HTMLSelectElement).value as RecipientRow['kind'] })}
                      >
                        <option value="unit">{o.outgoing.recipientUnit}</option>
                        <option value="external">{o.outgoing.recipientExternal}</option>
                      </select>
                    )}
                  </Field>
                  {r.kind === 'unit' ? (
                    <div class="field">
                      <label for={`d-ru-${i}`}>{o.outgoing.recipientUnit}</label>
                      <select
                        id={`d-ru-${i}`}
                        value={r.unit_id}
                        onChange={(e) => setRow(i, { unit_id: (e.currentTarget as HTMLSelectElement).value })}
                      >
                        <option value="">–</option>
                        {(units.data ?? []).map((u) => (
                          <option key={u.unit_id} value={u.unit_id}>
                            {u.name}
                          </option>
                        ))}
                      </select>
                    </div>
                  ) : (
                    <>
                      <div class="field">
                        <label for={`d-rn-${i}`}>{o.outgoing.recipientExternal}</label>
                        <input id={`d-rn-${i}`} type="text" value={r.name} onInput={(e) => setRow(i, { name: (e.currentTarget as HTMLInputElement).value })} />
                      </div>
                      <div class="field">
                        <label for={`d-ra-${i}`}>{o.outgoing.recipientAddress}</label>
                        <input id={`d-ra-${i}`} type="text" value={r.address} onInput={(e) => setRow(i, { address: (e.currentTarget as HTMLInputElement).value })} />
                      </div>
                    </>
                  )}
                  {v.recipients.length > 1 && (
                    <button
                      type="button"
                      class="button quiet"
                      onClick={() => setV({ ...v, recipients: v.recipients.filter((_, j) => j !== i) })}
                    >
                      {o.outgoing.removeRecipient}
                    </button>
                  )}
                </div>
              ))}
              <button
                type="button"
                class="button"
                onClick={() => setV({ ...v, recipients: [...v.recipients, { kind: 'unit', unit_id: '', name: '', address: '' }] })}
              >
                {o.outgoing.addRecipient}
              </button>
            </fieldset>
            <fieldset>
              <legend>{o.outgoing.signersTitle}</legend>
              <Field id="d-signers" label={o.outgoing.signers} hint={o.outgoing.nipHint} problem={p['signers']}>
                {(describedBy, invalid) => (
                  <textarea id="d-signers" value={v.signers} onInput={set('signers')} aria-describedby={describedBy} aria-invalid={invalid || undefined} />
                )}
              </Field>
              <Field id="d-reviewers" label={`${o.outgoing.reviewers} ${o.field.optional}`} hint={o.outgoing.reviewerHint} problem={p['reviewers']}>
                {(describedBy, invalid) => (
                  <textarea id="d-reviewers" value={v.reviewers} onInput={set('reviewers')} aria-describedby={describedBy} aria-invalid={invalid || undefined} />
                )}
              </Field>
            </fieldset>
          </div>
        </div>
        <fieldset>
          <legend>{o.outgoing.uploadVersion}</legend>
          <div class="field">
            <label for="d-file">{o.upload.choose}</label>
            <input id="d-file" type="file" accept="application/pdf" onChange={(e) => setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null)} />
          </div>
        </fieldset>
        {!online && <p class="problem">{o.upload.needsOnline}</p>}
        <button type="submit" class="button primary big" disabled={busy || !online}>
          {busy ? o.outgoing.creating : o.outgoing.create}
        </button>
      </form>
    </section>
  );
}
