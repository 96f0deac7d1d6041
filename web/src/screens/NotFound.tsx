import { t } from '../strings';

export function NotFound() {
  return (
    <section class="screen">
      <h1>{t.notFound}</h1>
      <p>
        <a href="/">{t.nav.inbox}</a>
      </p>
    </section>
  );
}
