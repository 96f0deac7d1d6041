// A letter's PDF drawn in the app with pdf.js (Chrome on Android shows no PDF inline). pdf.js is
// loaded with import() when a PDF is shown, never in the initial bundle; its worker is a
// separate file of the same origin (CSP: worker-src 'self'), and eval is off
// (isEvalSupported: false), so no 'unsafe-eval' is needed.

import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../strings';

type PdfJs = typeof import('./pdfjs');
type PdfDocument = Awaited<ReturnType<PdfJs['getDocument']>['promise']>;

/** pdf.js could not be loaded (offline, and never loaded on this device). */
class ViewerMissing extends Error {}

let loading: Promise<PdfJs> | null = null;
function pdfjs(): Promise<PdfJs> {
  loading ??= import('./pdfjs').then(
    (lib) => {
      lib.GlobalWorkerOptions.workerSrc = lib.workerUrl;
      void keepViewer(lib);
      return lib;
    },
    () => {
      loading = null; // try again next time (the network may be back)
      throw new ViewerMissing();
    },
  );
  return loading;
}

/** pdf.js into the cache the service worker reads it from offline (if not already there). */
async function keepViewer(lib: PdfJs): Promise<void> {
  if (!('caches' in window) || import.meta.env.DEV) return;
  try {
    const cache = await caches.open(lib.PDFJS_CACHE);
    for (const url of [lib.chunkUrl, new URL(lib.workerUrl, location.href).href]) {
      if (!(await cache.match(url))) await cache.add(url);
    }
  } catch {
    // Storage full or refused: the PDF still shows now; offline it may not.
  }
}

export function PdfView({ bytes, title }: { bytes: ArrayBuffer; title: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const [doc, setDoc] = useState<PdfDocument | null>(null);
  const [page, setPage] = useState(1);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    let opened: PdfDocument | null = null;
    setDoc(null);
    setPage(1);
    void pdfjs()
      .then((lib) =>
        // pdf.js takes ownership of the buffer it is given: give it a copy.
        lib.getDocument({ data: new Uint8Array(bytes.slice(0)), isEvalSupported: false }).promise,
      )
      .then((d) => {
        opened = d;
        if (!cancelled) setDoc(d);
      })
      .catch((e: unknown) => !cancelled && setError(e instanceof ViewerMissing ? t.letter.pdfViewerMissing : String(e)));
    return () => {
      cancelled = true;
      void opened?.destroy();
    };
  }, [bytes]);

  useEffect(() => {
    if (!doc || !canvas.current || !box.current) return;
    let task: { cancel(): void; promise: Promise<void> } | null = null;
    let cancelled = false;
    void doc.getPage(page).then((p) => {
      if (cancelled || !canvas.current || !box.current) return;
      const width = box.current.clientWidth || 600;
      const unscaled = p.getViewport({ scale: 1 });
      const ratio = window.devicePixelRatio || 1;
      const viewport = p.getViewport({ scale: (width / unscaled.width) * ratio });
      const c = canvas.current;
      c.width = Math.floor(viewport.width);
      c.height = Math.floor(viewport.height);
      c.style.width = `${Math.floor(viewport.width / ratio)}px`;
      c.style.height = `${Math.floor(viewport.height / ratio)}px`;
      task = p.render({ canvas: c, viewport });
      task.promise.catch(() => undefined);
    });
    return () => {
      cancelled = true;
      task?.cancel();
    };
  }, [doc, page]);

  if (error)
    return (
      <p class="problem" data-testid="pdf-problem">
        {error}
      </p>
    );
  const pages = doc?.numPages ?? 0;
  return (
    <div class="pdf" ref={box}>
      {!doc && <p class="loading">{t.loading}</p>}
      <canvas ref={canvas} role="img" aria-label={`${title}: ${t.letter.page(page, pages || 1)}`} data-testid="pdf-canvas" />
      {pages > 1 && (
        <div class="actions pdf-nav">
          <button type="button" class="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            {t.letter.prevPage}
          </button>
          <span aria-live="polite">{t.letter.page(page, pages)}</span>
          <button type="button" class="button" disabled={page >= pages} onClick={() => setPage(page + 1)}>
            {t.letter.nextPage}
          </button>
        </div>
      )}
    </div>
  );
}
