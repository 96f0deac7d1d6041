// pdf.js and the address of its worker, one chunk loaded with import() when a PDF is first shown.
// Neither is in the service worker's precache (1.6 MB, most of the app's weight, fetched on the
// first visit whether a letter is opened or not); the service worker caches them at run time
// (CacheFirst, vite.config.ts), and PdfView also puts them in that cache itself once loaded, so a
// letter opened once online is readable offline even if the page was not yet controlled.
export * from 'pdfjs-dist';
export { default as workerUrl } from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
/** This chunk's own address. */
export const chunkUrl = import.meta.url;
/** The Cache Storage name shared with the service worker's runtime rule. */
export const PDFJS_CACHE = 'eoffice-pdfjs';
