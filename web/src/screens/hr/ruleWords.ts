// The labels the rule-set rows are read with (lib/ruleSetDiff.ts is pure and takes them).

import { percent, type RuleLabels } from '../../lib/ruleSetDiff';
import { h } from '../../strings.heads';
import { r } from '../../strings.hr';

const w = r.rules;

export const ruleLabels: RuleLabels = {
  name: w.name,
  legalBasis: w.legalBasis,
  effectiveFrom: w.effectiveFrom,
  lateBand: w.lateBand,
  earlyBand: w.earlyBand,
  missingIn: w.missingIn,
  missingOut: w.missingOut,
  absent: w.absent,
  leave: (type) => w.leave(h.leaveType[type as keyof typeof h.leaveType] ?? type),
  maxDay: w.maxDay,
  disciplineCap: w.disciplineCap,
  zeroWithoutPresence: w.zeroWithoutPresence,
  cltn: w.cltn,
  rounding: w.rounding,
  yes: w.yes,
  no: w.no,
  none: w.none,
  band: (band, previous) => {
    const from = (previous ?? 0) + 1;
    if (!band) return w.none;
    return band.up_to_minutes == null
      ? w.bandOver(from, percent(band.percent))
      : w.bandUpTo(from, band.up_to_minutes, percent(band.percent));
  },
  value: (field, value) => w.values[field][value] ?? value,
};
