// A letter's cover sheet (lembar pengantar): the API's PDF, fetched with the user's token, shown
// with pdf.js (Chrome on Android shows no PDF inline), printed from the page (only the sheet is
// printed: see .print-only in the styles), or downloaded for printing elsewhere.

import { useEffect, useState } from 'preact/hooks';
import { ok } from '../api/client';
import { useApp } from '../app/context';
import { o } from '../strings.office';
import { t } from '../strings';
import { ProblemNote } from './bits';
import { PdfView } from './PdfView';

export function CoverSheet({ letterId, agenda }: { letterId: string; agenda: string }) {
  const { api } = useApp();
  const [bytes, setBytes] = useState<ArrayBuffer | null>(null);
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let cancelled = false;
    let made: string | null = null;
    void ok(
      api.GET('/letters/{letter_id}/cover-sheet', {
        params: { path: { letter_id: letterId } },
        parseAs: 'arrayBuffer',
      }) as Promise<{ data?: ArrayBuffer; error?: unknown; response: Response }>,
    )
      .then((data) => {
        if (cancelled) return;
        made = URL.createObjectURL(new Blob([data], { type: 'application/pdf' }));
        setBytes(data);
        setUrl(made);
      })
      .catch((e: unknown) => !cancelled && setError(e));
    return () => {
      cancelled = true;
      if (made) URL.revokeObjectURL(made);
    };
  }, [letterId]);

  const print = () => {
    document.documentElement.classList.add('printing-sheet');
    const done = () => {
      document.documentElement.classList.remove('printing-sheet');
      window.removeEventListener('afterprint', done);
    };
    window.addEventListener('afterprint', done);
    window.print();
  };

  return (
    <section class="card" aria-labelledby="cover-h" data-testid="cover-sheet">
      <h2 id="cover-h">{o.cover.title}</h2>
      <p class="hint">{o.cover.lead}</p>
      <ProblemNote error={error} />
      {!bytes && !error && <p class="loading">{t.loading}</p>}
      {bytes && url && (
        <>
          <div class="actions no-print">
            <button type="button" class="button primary" onClick={print} data-testid="print-cover">
              {o.cover.print}
            </button>
            <a class="button" href={url} download={`lembar-pengantar-${agenda.replace(/\W+/g, '-')}.pdf`}>
              {o.cover.download}
            </a>
          </div>
          <div class="print-sheet">
            <PdfView bytes={bytes} title={o.cover.title} />
          </div>
        </>
      )}
    </section>
  );
}
