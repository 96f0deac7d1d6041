// Two versions of the TPP rule set side by side (?a=1&b=2), the rows that differ marked by a
// tint, bold values, a dot and a hidden "berubah" for screen readers (not by colour alone).

import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { ok } from '../../api/client';
import { useApp } from '../../app/context';
import { useKept } from '../../app/useKept';
import { compareRuleSets } from '../../lib/ruleSetDiff';
import { r } from '../../strings.hr';
import { Loading, ProblemNote } from '../../ui/bits';
import { ruleLabels } from './ruleWords';
import '../../styles/heads.css';

const w = r.rules;

export function RuleSetCompare() {
  const { api, user } = useApp();
  const { query } = useLocation();
  const a = Number(query['a']);
  const b = Number(query['b']);
  const get = (v: number) => ok(api.GET('/tpp/rule-sets/{version}', { params: { path: { version: v } } }));
  const pair = useKept(`${user}:rule-sets:${a}:${b}`, () => Promise.all([get(a), get(b)]));
  const rows = pair.data ? compareRuleSets(pair.data[0], pair.data[1], ruleLabels) : [];
  const changed = rows.filter((row) => row.changed).length;
  // On a phone the whole rule set is long: the changes alone fit a screen.
  const [onlyChanged, setOnlyChanged] = useState(false);
  const shown = onlyChanged ? rows.filter((row) => row.changed) : rows;
  return (
    <section class="screen">
      <a class="back" href="/tpp/aturan">
        ← {w.back}
      </a>
      <h1>
        {w.compare}: {w.version(a)} · {w.version(b)}
      </h1>
      <ProblemNote error={!pair.data ? pair.error : undefined} />
      <Loading when={pair.loading && !pair.data}>
        {pair.data && (
          <>
            <p role="status" data-testid="changed-count">
              {w.changedCount(changed)}
            </p>
            <label class="check">
              <input type="checkbox" checked={onlyChanged} onChange={(e) => setOnlyChanged((e.currentTarget as HTMLInputElement).checked)} />
              {w.onlyChanged}
            </label>
            <div class="card scroll-x" tabIndex={0} role="region" aria-label={w.compare}>
              <table class="compare" data-testid="compare">
                <thead>
                  <tr>
                    <th scope="col">{w.rule}</th>
                    <th scope="col">{w.version(a)}</th>
                    <th scope="col">{w.version(b)}</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((row) => (
                    <tr key={row.key} class={row.changed ? 'changed' : undefined} data-key={row.key}>
                      <th scope="row">
                        {row.label}
                        {row.changed && <span class="visually-hidden"> ({w.changedMark})</span>}
                      </th>
                      <td>{row.left}</td>
                      <td>{row.right}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </Loading>
    </section>
  );
}
