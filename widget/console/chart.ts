/**
 * Takings per day as an SVG bar chart, drawn here (no charting library: 30 bars and two labels
 * are a few lines, and no third-party script may run in the console), with the same figures as a
 * table for screen readers and for anyone who wants the numbers.
 */
import { html, svg, type TemplateResult } from 'lit';
import type { DaySum } from './api.ts';
import { formatDay, formatMoney } from './format.ts';
import { t, type Locale } from './i18n.ts';

const WIDTH = 600;
const HEIGHT = 180;
/** Room for the labels under the bars and beside the top line. */
const BOTTOM = 22;
const LEFT = 64;

export function takingsChart(locale: Locale, days: DaySum[]): TemplateResult {
  const values = days.map((day) => Number(day.takings));
  const max = Math.max(...values, 0);
  const total = values.reduce((sum, value) => sum + value, 0);
  const best = days[values.indexOf(max)];
  const slot = (WIDTH - LEFT) / Math.max(days.length, 1);
  const plot = HEIGHT - BOTTOM;
  const bars = days.map((day, i) => {
    const height = max > 0 ? (Number(day.takings) / max) * (plot - 8) : 0;
    const label = `${formatDay(locale, day.date)}: ${formatMoney(locale, day.takings)}, ${day.count}`;
    return svg`<rect class="bar" x=${LEFT + i * slot + 1} y=${plot - height} width=${slot - 2}
      height=${Math.max(height, 0)}><title>${label}</title></rect>`;
  });
  const summary = best
    ? t(locale, 'chartSummary', {
        total: formatMoney(locale, total.toFixed(2)),
        day: formatDay(locale, best.date),
        best: formatMoney(locale, max.toFixed(2)),
      })
    : '';
  return html`<figure class="chart">
    <svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="chart-title chart-summary">
      <line class="axis" x1=${LEFT} x2=${WIDTH} y1=${plot} y2=${plot}></line>
      <line class="grid" x1=${LEFT} x2=${WIDTH} y1="8" y2="8"></line>
      <text class="label" x=${LEFT - 6} y="12" text-anchor="end">${formatMoney(locale, max.toFixed(2))}</text>
      <text class="label" x=${LEFT - 6} y=${plot} text-anchor="end">${formatMoney(locale, '0')}</text>
      ${bars}
      ${
        days.length
          ? svg`<text class="label" x=${LEFT} y=${HEIGHT - 4}>${formatDay(locale, days[0]!.date)}</text>
            <text class="label" x=${WIDTH} y=${HEIGHT - 4} text-anchor="end">${formatDay(locale, days.at(-1)!.date)}</text>`
          : ''
      }
    </svg>
    <figcaption>
      <span id="chart-title">${t(locale, 'perDay')}${locale === 'en' ? ':' : '：'}</span>${' '}<span id="chart-summary"
        >${summary}</span
      >
    </figcaption>
    <details>
      <summary>${t(locale, 'showTable')}</summary>
      <table class="days">
        <thead>
          <tr>
            <th scope="col">${t(locale, 'day')}</th>
            <th scope="col" class="num">${t(locale, 'takings')}</th>
            <th scope="col" class="num">${t(locale, 'count')}</th>
          </tr>
        </thead>
        <tbody>
          ${days.map(
            (day) =>
              html`<tr>
                <th scope="row">${day.date}</th>
                <td class="num">${formatMoney(locale, day.takings)}</td>
                <td class="num">${day.count}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </details>
  </figure>`;
}
