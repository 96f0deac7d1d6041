// Catat surat masuk: the records clerk (TU) or the unit's head registers an incoming letter with
// its tata naskah metadata (POST /letters), then the scan goes straight to the bucket with the
// presigned form the answer carries. The API decides what is valid: its 422 is shown next to
// each field, in Bahasa Indonesia. Registering needs a connection (the agenda number is the
// server's); the letter's page then follows the intake's check.

import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ok, type Letter, type Schemas, type Sifat, type Urgensi } from '../../api/client';
import { useApp } from '../../app/context';
import { formProblems, type FormProblems } from '../../lib/fieldProblems';
import { sendUpload } from '../../lib/presigned';
import { t } from '../../strings';
import { o } from '../../strings.office';
import { Field, FormTop, SifatUrgensiFields } from '../../ui/officeBits';

type LetterCreate = Schemas['LetterCreate'];

export interface RegisterValues {
  sender_agency: string;
  sender_number: string;
  sender_date: string;
  sender_name: string;
  subject: string;
  classification_code: string;
  addressee: string;
  received_on: string;
  summary: string;
  sifat: Sifat;
  urgensi: Urgensi;
  attachment_count: string;
  tembusan: string;
}

export const EMPTY: RegisterValues = {
  sender_agency: '',
  sender_number: '',
  sender_date: '',
  sender_name: '',
  subject: '',
  classification_code: '',
  addressee: '',
  received_on: '',
  summary: '',
  sifat: 'biasa',
  urgensi: 'biasa',
  attachment_count: '0',
  tembusan: '',
};

export const FIELDS = Object.keys(EMPTY) as (keyof RegisterValues)[];

/**
 * The request body: what was typed, trimmed; an empty optional field is left out (the API's
 * default applies), an empty required one too (the API answers `missing` for it).
 */
export function letterBody(v: RegisterValues): LetterCreate {
  const text = (s: string) => s.trim() || undefined;
  const body: Record<string, unknown> = {
    sender_agency: text(v.sender_agency),
    sender_number: text(v.sender_number),
    sender_date: text(v.sender_date),
    sender_name: text(v.sender_name),
    subject: text(v.subject),
    classification_code: text(v.classification_code),
    addressee: text(v.addressee),
    received_on: text(v.received_on),
    summary: text(v.summary),
    sifat: v.sifat,
    urgensi: v.urgensi,
    attachment_count: v.attachment_count.trim() === '' ? undefined : Number(v.attachment_count),
    tembusan: v.tembusan
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean),
  };
  for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
  return body as unknown as LetterCreate;
}

/** Form values from a letter (to complete one a scanner brought in). */
export function valuesOf(letter: Letter): RegisterValues {
  return {
    ...EMPTY,
    sender_agency: letter.sender_agency ?? '',
    sender_number: letter.sender_number ?? '',
    sender_date: letter.sender_date ?? '',
    sender_name: letter.sender_name ?? '',
    subject: letter.subject ?? '',
    classification_code: letter.classification_code ?? '',
    addressee: letter.addressee ?? '',
    received_on: letter.received_on ?? '',
    summary: letter.summary ?? '',
    sifat: letter.sifat ?? 'biasa',
    urgensi: letter.urgensi ?? 'biasa',
    attachment_count: String(letter.attachment_count ?? 0),
    tembusan: (letter.tembusan ?? []).join('\n'),
  };
}

export function Register() {
  const { api } = useApp();
  const { route } = useLocation();
  const register = async (values: RegisterValues, scan: File | null) => {
    const registration = await ok(api.POST('/letters', { body: letterBody(values) }));
    const id = registration.letter.letter_id;
    let uploadProblem = '';
    if (scan) {
      try {
        await sendUpload(registration.upload, scan);
      } catch (error) {
        uploadProblem = error instanceof Error ? error.message : String(error);
      }
    }
    const query = uploadProblem ? `?unggah=${encodeURIComponent(uploadProblem)}` : scan ? '?unggah=ok' : '';
    route(`/agenda/${id}${query}`);
  };
  return (
    <section class="screen">
      <h1>{o.register.title}</h1>
      <p class="hint">{o.register.lead}</p>
      <LetterForm initial={EMPTY} withScan submit={o.register.submit} onSubmit={register} />
    </section>
  );
}

/**
 * The tata naskah fields of an incoming letter, with the API's 422 next to each; `onSubmit`
 * throws the API's error, which the form spreads over its fields.
 */
export function LetterForm({
  initial,
  withScan = false,
  submit,
  onSubmit,
}: {
  initial: RegisterValues;
  withScan?: boolean;
  submit: string;
  onSubmit: (values: RegisterValues, scan: File | null) => Promise<void>;
}) {
  const { online } = useApp();
  const [values, setValues] = useState<RegisterValues>(initial);
  const [scan, setScan] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<FormProblems | null>(null);

  const set = (key: keyof RegisterValues) => (e: Event) => {
    const value = (e.currentTarget as HTMLInputElement).value;
    setValues((v) => ({ ...v, [key]: value }));
  };

  const send = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setProblems(null);
    try {
      await onSubmit(values, scan);
    } catch (error) {
      setProblems(formProblems(error, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  const p = problems?.fields ?? {};
  const text = (key: keyof RegisterValues, label: string, extra: { hint?: string; type?: 'text' | 'date' | 'number' } = {}) => (
    <Field id={`f-${key}`} label={label} hint={extra.hint} problem={p[key]}>
      {(describedBy, invalid) => (
        <input
          id={`f-${key}`}
          name={key}
          type={(extra.type ?? 'text') as 'text'}
          value={values[key]}
          onInput={set(key)}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
        />
      )}
    </Field>
  );

  return (
    <form onSubmit={(e) => void send(e)} noValidate data-testid="letter-form">
      <FormTop problems={problems} />
      <div class="two-col">
        <fieldset>
          <legend>{t.letter.sender}</legend>
          {text('sender_agency', o.register.senderAgency)}
          {text('sender_number', o.register.senderNumber)}
          {text('sender_date', o.register.senderDate, { type: 'date' })}
          {text('sender_name', `${o.register.senderName} ${o.field.optional}`)}
        </fieldset>
        <fieldset>
          <legend>{t.letter.title}</legend>
          {text('subject', o.register.subject)}
          {text('classification_code', o.register.classification, { hint: o.register.classificationHint })}
          {text('addressee', o.register.addressee)}
          {text('received_on', o.register.receivedOn, { type: 'date', hint: o.register.receivedHint })}
        </fieldset>
      </div>
      <fieldset>
        <legend>
          {t.letter.sifat} &amp; {t.letter.urgensi}
        </legend>
        <div class="filters">
          <SifatUrgensiFields
            prefix="f"
            sifat={values.sifat}
            urgensi={values.urgensi}
            problems={p}
            onSifat={set('sifat')}
            onUrgensi={set('urgensi')}
          />
          {text('attachment_count', o.register.attachments, { type: 'number' })}
        </div>
        <Field id="f-summary" label={`${o.register.summary} ${o.field.optional}`} problem={p['summary']}>
          {(describedBy, invalid) => (
            <textarea
              id="f-summary"
              value={values.summary}
              onInput={set('summary')}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            />
          )}
        </Field>
        <Field
          id="f-tembusan"
          label={`${o.register.tembusan} ${o.field.optional}`}
          hint={o.register.tembusanHint}
          problem={p['tembusan']}
        >
          {(describedBy, invalid) => (
            <textarea
              id="f-tembusan"
              value={values.tembusan}
              onInput={set('tembusan')}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            />
          )}
        </Field>
      </fieldset>
      {withScan && (
        <fieldset>
          <legend>{o.register.scan}</legend>
          <Field id="f-scan" label={o.upload.choose} hint={o.register.scanHint}>
            {(describedBy) => (
              <input
                id="f-scan"
                type="file"
                accept="application/pdf,image/jpeg,image/png,image/tiff"
                aria-describedby={describedBy}
                onChange={(e) => setScan((e.currentTarget as HTMLInputElement).files?.[0] ?? null)}
              />
            )}
          </Field>
        </fieldset>
      )}
      {!online && <p class="problem">{o.upload.needsOnline}</p>}
      <button type="submit" class="button primary big" disabled={busy || !online}>
        {busy ? o.register.submitting : submit}
      </button>
    </form>
  );
}
