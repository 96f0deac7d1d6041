// The selfie: the front camera in the page (getUserMedia, Chrome and Safari alike), a tap takes
// the frame, made small on the phone (lib/selfie.ts). Where the camera cannot be opened in the
// page (refused, an old browser, an in-app WebView), the phone's own camera app through
// `<input capture="user">`, whose photo is made small the same way.

import { useEffect, useRef, useState } from 'preact/hooks';
import { compress, decodeFile, type Compressed } from '../../lib/selfie';
import { s } from '../../strings.staff';

const w = s.checkIn;

export function Selfie({ photo, onPhoto }: { photo: Compressed | null; onPhoto: (p: Compressed | null) => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [fallback, setFallback] = useState(() => !navigator.mediaDevices?.getUserMedia);
  const [problem, setProblem] = useState<string | null>(null);
  const preview = usePreview(photo?.blob ?? null);

  useEffect(() => () => stream?.getTracks().forEach((t) => t.stop()), [stream]);
  useEffect(() => {
    if (video.current && stream) {
      video.current.srcObject = stream;
      void video.current.play().catch(() => undefined);
    }
  }, [stream]);

  const open = async () => {
    setProblem(null);
    try {
      const media = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: 'user', width: { ideal: 1280 }, height: { ideal: 720 } },
        audio: false,
      });
      onPhoto(null);
      setStream(media);
    } catch {
      setFallback(true);
      setProblem(w.cameraDenied);
    }
  };
  const take = async () => {
    const v = video.current;
    if (!v || !v.videoWidth) return;
    try {
      onPhoto(await compress(v, v.videoWidth, v.videoHeight));
      stream?.getTracks().forEach((t) => t.stop());
      setStream(null);
    } catch {
      setProblem(w.photoFailed);
    }
  };
  const picked = async (file: File | undefined) => {
    if (!file) return;
    try {
      const decoded = await decodeFile(file);
      onPhoto(await compress(decoded.source, decoded.width, decoded.height));
    } catch {
      setProblem(w.photoFailed);
    }
  };

  return (
    <section class="card" aria-labelledby="selfie-title">
      <h2 id="selfie-title">{w.selfie}</h2>
      {stream && (
        <>
          <video ref={video} class="selfie-video" playsInline muted autoplay aria-label={w.selfie} />
          <button type="button" class="button primary" onClick={() => void take()}>
            {w.takePhoto}
          </button>
        </>
      )}
      {photo && preview && (
        <figure class="selfie-preview">
          <img src={preview} alt={w.preview} width={photo.width} height={photo.height} />
          <figcaption data-testid="selfie-size" data-bytes={photo.blob.size}>
            {w.photoSize(s.kb(photo.blob.size), photo.width, photo.height)}
          </figcaption>
        </figure>
      )}
      {!stream && !fallback && (
        <button type="button" class="button" onClick={() => void open()}>
          {photo ? w.retake : w.startCamera}
        </button>
      )}
      {problem && <p class="problem" role="alert">{problem}</p>}
      {fallback && (
        <label class="button file-button">
          {photo ? w.retake : w.choosePhoto}
          <input
            class="visually-hidden"
            type="file"
            accept="image/*"
            capture="user"
            onChange={(e) => void picked((e.currentTarget as HTMLInputElement).files?.[0])}
          />
        </label>
      )}
    </section>
  );
}

function usePreview(blob: Blob | null): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!blob) return setUrl(null);
    const made = URL.createObjectURL(blob);
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [blob]);
  return url;
}
