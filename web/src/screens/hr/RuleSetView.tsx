// One published version of the TPP rule set, read as labelled rows.

import { ok } from '../../api/client';
import { useApp } from '../../app/context';
import { useKept } from '../../app/useKept';
import { dateTime } from '../../lib/format';
import { compareRuleSets } from '../../lib/ruleSetDiff';
import { r } from '../../strings.hr';
import { KeptNote, Loading, ProblemNote } from '../../ui/bits';
import { ruleLabels } from './ruleWords';
import '../../styles/heads.css';

const w = r.rules;

export function RuleSetView({ version }: { version: string }) {
  const { api, user } = useApp();
  const v = Number(version);
  const rule = useKept(`${user}:rule-set:${v}`, () => ok(api.GET('/tpp/rule-sets/{version}', { params: { path: { version: v } } })));
  const data = rule.data;
  return (
    <section class="screen">
      <a class="back" href="/tpp/aturan">
        ← {w.back}
      </a>
      <h1>{w.version(v)}</h1>
      <KeptNote savedAt={rule.savedAt} fromDevice={rule.fromDevice} />
      <ProblemNote error={!data ? rule.error : undefined} />
      <Loading when={rule.loading && !data}>
        {data && (
          <>
            <p class="item-meta">{w.publishedBy(data.published_by, dateTime(data.published_at))}</p>
            <div class="card scroll-x" tabIndex={0} role="region" aria-label={w.version(v)}>
              <table class="compare" data-testid="rule-set">
                <thead>
                  <tr>
                    <th scope="col">{w.rule}</th>
                    <th scope="col">{w.value}</th>
                  </tr>
                </thead>
                <tbody>
                  {compareRuleSets(data, data, ruleLabels).map((row) => (
                    <tr key={row.key}>
                      <th scope="row">{row.label}</th>
                      <td>{row.left}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <a class="button" href={`/tpp/aturan/baru?dari=${v}`}>
              {w.newVersion}
            </a>
          </>
        )}
      </Loading>
    </section>
  );
}
