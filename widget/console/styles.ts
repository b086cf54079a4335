/**
 * The console's look, shared by every page element. Light and dark are one set of colours through
 * `light-dark()`, switched by `color-scheme`: the system's, or the merchant's choice (theme.ts).
 * The colours keep WCAG AA contrast on their surfaces in both schemes.
 */
import { css } from 'lit';

/** The document itself: the page background follows the theme too (no inline style: the CSP). */
export const documentStyles = css`
  html {
    color-scheme: light dark;
    background: light-dark(#f4f5f7, #15161a);
  }
  html[data-theme='light'] {
    color-scheme: light;
  }
  html[data-theme='dark'] {
    color-scheme: dark;
  }
  body {
    margin: 0;
  }
`;

export const baseStyles = css`
  :host {
    --text: light-dark(#1b1d21, #eceef2);
    --muted: light-dark(#535a66, #a9b0bb);
    --surface: light-dark(#fff, #1f2126);
    --line: light-dark(#d5d9df, #3b3f47);
    --accent: light-dark(#0b5fc4, #7cb8ff);
    --on-accent: light-dark(#fff, #0b1726);
    --danger: light-dark(#b3261e, #ff9c94);
    --ok-bg: light-dark(#dcf5e3, #143222);
    --ok: light-dark(#0f5c27, #86e3a6);
    --warn-bg: light-dark(#fff1cc, #3a2f10);
    --warn: light-dark(#6b4a00, #f3cd6b);
    --bad-bg: light-dark(#fde2e0, #3d1a18);
    --bad: light-dark(#8c1d16, #ffaaa3);
    --idle-bg: light-dark(#eceef1, #2c2f35);
    display: block;
    color: var(--text);
    font:
      15px/1.5 system-ui,
      -apple-system,
      'PingFang SC',
      'Microsoft YaHei',
      sans-serif;
  }
  a {
    color: var(--accent);
  }
  :focus-visible {
    outline: 3px solid var(--accent);
    outline-offset: 2px;
  }
  h1 {
    font-size: 1.4rem;
    margin: 0 0 1rem;
  }
  h2 {
    font-size: 1.1rem;
    margin: 1.5rem 0 0.6rem;
  }
  section,
  .card {
    background: var(--surface);
    border: 1px solid var(--line);
    border-radius: 10px;
    padding: 1rem;
    margin: 0 0 1rem;
  }
  section > h2:first-child {
    margin-top: 0;
  }
  button,
  .button {
    font: inherit;
    padding: 0.4rem 0.9rem;
    border-radius: 6px;
    border: 1px solid var(--accent);
    background: var(--surface);
    color: var(--accent);
    cursor: pointer;
    text-decoration: none;
    display: inline-block;
  }
  button.primary {
    background: var(--accent);
    color: var(--on-accent);
  }
  button.danger {
    border-color: var(--danger);
    color: var(--danger);
  }
  button:disabled {
    opacity: 0.6;
    cursor: default;
  }
  input,
  select {
    box-sizing: border-box;
    min-height: 2.3rem;
    font: inherit;
    color: inherit;
    background: var(--surface);
    border: 1px solid var(--muted);
    border-radius: 6px;
    padding: 0.35rem 0.5rem;
  }
  label {
    display: flex;
    flex-direction: column;
    gap: 0.2rem;
    font-size: 0.9rem;
    color: var(--muted);
  }
  label > input,
  label > select {
    color: var(--text);
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  .scroll {
    overflow-x: auto;
  }
  th,
  td {
    text-align: left;
    padding: 0.45rem 0.6rem;
    border-bottom: 1px solid var(--line);
    vertical-align: top;
  }
  th {
    font-size: 0.85rem;
    color: var(--muted);
    font-weight: 600;
  }
  td.num,
  th.num {
    text-align: right;
    font-variant-numeric: tabular-nums;
  }
  code,
  .mono {
    font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
    font-size: 0.9em;
    overflow-wrap: anywhere;
  }
  .muted {
    color: var(--muted);
  }
  .error {
    color: var(--danger);
    font-weight: 600;
  }
  .badge {
    display: inline-block;
    padding: 0 0.5rem;
    border-radius: 99px;
    font-size: 0.85rem;
    background: var(--idle-bg);
    color: var(--text);
    white-space: nowrap;
  }
  .badge.paid,
  .badge.ok {
    background: var(--ok-bg);
    color: var(--ok);
  }
  .badge.pending,
  .badge.creating,
  .badge.review,
  .badge.extra {
    background: var(--warn-bg);
    color: var(--warn);
  }
  .badge.failed,
  .badge.orphan,
  .badge.refused {
    background: var(--bad-bg);
    color: var(--bad);
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem;
    align-items: flex-end;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
