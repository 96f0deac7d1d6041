// A month: the browser's month field (Android Chrome and iOS show their own picker) between
// previous and next buttons, as "YYYY-MM".

import { addMonths, isMonth, monthLabel } from '../../lib/months';
import { r } from '../../strings.hr';

export function MonthPicker({ id, value, onChange, max }: { id: string; value: string; onChange: (m: string) => void; max?: string }) {
  return (
    <div class="field">
      <label for={id}>{r.month}</label>
      <div class="stepper">
        <button type="button" class="button" aria-label={r.previousMonth} onClick={() => onChange(addMonths(value, -1))}>
          ‹
        </button>
        <input
          id={id}
          type="month"
          value={value}
          max={max}
          aria-describedby={`${id}-label`}
          onChange={(e) => {
            const v = (e.currentTarget as HTMLInputElement).value;
            if (isMonth(v)) onChange(v);
          }}
        />
        <button
          type="button"
          class="button"
          aria-label={r.nextMonth}
          disabled={max !== undefined && value >= max}
          onClick={() => onChange(addMonths(value, 1))}
        >
          ›
        </button>
      </div>
      <span id={`${id}-label`} class="hint">
        {monthLabel(value)}
      </span>
    </div>
  );
}
