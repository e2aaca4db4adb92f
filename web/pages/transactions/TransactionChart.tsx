import { For, Show, createUniqueId } from "solid-js";
import type { TransactionPage } from "../../../worker/contract/wallet";
import { money } from "../wallet/WalletPanel";
import type { Perspective } from "./TransactionLogs";

/**
 * Income and expenses over time as a hand-written SVG bar chart (income above the axis, expenses below).
 * The SVG is an image with a text summary; the same numbers are available as a table for screen readers and
 * keyboard users ("Show as table").
 */
export function TransactionChart(props: { data: TransactionPage; words: Perspective }) {
  const id = createUniqueId();
  const points = () => props.data.series.points;
  const W = 720;
  const H = 220;
  const PAD = { left: 8, right: 8, top: 12, bottom: 28 };
  const max = () => Math.max(1, ...points().map((p) => Math.max(p.incomeMinor, p.expensesMinor)));
  const mid = PAD.top + (H - PAD.top - PAD.bottom) / 2;
  const half = (H - PAD.top - PAD.bottom) / 2;
  const slot = () => (W - PAD.left - PAD.right) / Math.max(1, points().length);
  const barW = () => Math.max(2, Math.min(28, slot() * 0.6));
  const labelEvery = () => Math.ceil(points().length / 12);
  const fmt = (m: number) => money(props.data, m);
  const summary = () => {
    const p = points();
    if (p.length === 0) return "No transactions in this range.";
    const best = p.reduce((a, b) => (b.incomeMinor > a.incomeMinor ? b : a));
    const w = props.words;
    return `${p.length} ${props.data.series.bucket === "day" ? "days" : "months"} from ${p[0]!.label} to ${p[p.length - 1]!.label}. ${w.in} ${fmt(props.data.totals.incomeMinor)}, ${w.out.toLowerCase()} ${fmt(props.data.totals.expensesMinor)}. Highest ${w.in.toLowerCase()} ${fmt(best.incomeMinor)} in ${best.label}.`;
  };

  return (
    <figure class="section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{props.words.in} and {props.words.out.toLowerCase()} per {props.data.series.bucket}</h2>
      <div class="chart-legend" aria-hidden="true">
        <span><span class="swatch swatch-in" />{props.words.in}</span>
        <span><span class="swatch swatch-out" />{props.words.out}</span>
      </div>
      <Show when={points().length > 0} fallback={<p class="empty-state">No transactions in this range.</p>}>
        <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-title ${id}-desc`}>
          <desc id={`${id}-desc`}>{summary()}</desc>
          <line x1={PAD.left} x2={W - PAD.right} y1={mid} y2={mid} stroke="currentColor" stroke-opacity="0.3" />
          <For each={points()}>
            {(p, i) => {
              const x = () => PAD.left + i() * slot() + (slot() - barW()) / 2;
              const hIn = () => (p.incomeMinor / max()) * half;
              const hOut = () => (p.expensesMinor / max()) * half;
              return (
                <g>
                  <rect class="bar-in" x={x()} y={mid - hIn()} width={barW()} height={hIn()}>
                    <title>{`${p.label}: ${props.words.in.toLowerCase()} ${fmt(p.incomeMinor)}`}</title>
                  </rect>
                  <rect class="bar-out" x={x()} y={mid} width={barW()} height={hOut()}>
                    <title>{`${p.label}: ${props.words.out.toLowerCase()} ${fmt(p.expensesMinor)}`}</title>
                  </rect>
                  <Show when={i() % labelEvery() === 0}>
                    <text x={x() + barW() / 2} y={H - 8} text-anchor="middle">{props.data.series.bucket === "day" ? p.label.slice(5) : p.label}</text>
                  </Show>
                </g>
              );
            }}
          </For>
        </svg>
        <details>
          <summary>Show chart data as a table</summary>
          <div class="table-wrap" role="region" aria-label={`${props.words.in} and ${props.words.out.toLowerCase()} per period`} tabindex="0">
            <table class="table">
              <caption class="sr-only">{props.words.in} and {props.words.out.toLowerCase()} per period</caption>
              <thead><tr><th scope="col">{props.data.series.bucket === "day" ? "Day" : "Month"}</th><th scope="col" class="num">{props.words.in}</th><th scope="col" class="num">{props.words.out}</th></tr></thead>
              <tbody>
                <For each={points()}>{(p) => <tr><th scope="row">{p.label}</th><td class="num">{fmt(p.incomeMinor)}</td><td class="num">{fmt(p.expensesMinor)}</td></tr>}</For>
              </tbody>
            </table>
          </div>
        </details>
      </Show>
    </figure>
  );
}
