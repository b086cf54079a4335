import { css } from './css.ts';

/** Every state but idle, adopted by the lazily loaded order flow. */
export const flowStyles = css`
  .body {
    --_qr: var(--codepay-qr-size, 200px);
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: 0.5rem;
    /* As tall as the pending state (QR, hint, notice, countdown): no state change moves the page. */
    min-height: calc(var(--_qr) + 6rem);
  }
  /* Under the sandbox's mark, the pay-in-the-sandbox button's row too: gap, margin, padding, line. */
  [part='sandbox'] + .body {
    min-height: calc(var(--_qr) + 6rem + 0.5rem + 0.75rem + 1.2rem + 19px * 1.4);
  }
  [part='sandbox'] {
    margin: 0 0 0.75rem;
    padding: 0.3rem 0.6rem;
    border: 1px dashed;
    border-radius: 6px;
    background: light-dark(#fff4e0, #3a2a10);
    color: light-dark(#8a4b00, #ffc069);
    font-size: 0.85rem;
  }
  [part~='sandbox-pay-button'] {
    background: none;
    color: inherit;
    border: 1px solid var(--_accent);
  }
  [part~='button']:disabled {
    cursor: progress;
    opacity: 0.6;
  }
  [part='message'] {
    margin: 0;
  }
  [part='skeleton'] {
    width: var(--_qr);
    height: var(--_qr);
  }
  [part='skeleton'],
  .line {
    border-radius: 6px;
    background: linear-gradient(90deg, var(--_line) 40%, transparent 50%, var(--_line) 60%) 0 0 / 300% 100%;
    animation: shine 1.2s linear infinite;
  }
  .line {
    width: 60%;
    height: 0.9rem;
  }
  @keyframes shine {
    to {
      background-position: -150% 0;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    [part='skeleton'],
    .line {
      animation: none;
    }
  }
  [part~='copy-button'] {
    display: inline;
    width: auto;
    margin: 0 0 0 0.4rem;
    padding: 0.1rem 0.5rem;
    font-size: 0.85rem;
    font-weight: 400;
    background: none;
    color: inherit;
    border: 1px solid var(--_line);
  }
  [part~='open-button'] {
    text-decoration: none;
  }
  [part='qr'] {
    display: block;
    box-sizing: border-box;
    width: var(--_qr);
    height: var(--_qr);
    border-radius: 4px;
    background: var(--codepay-qr-background, #fff);
    fill: var(--codepay-qr-color, #000);
  }
  [part='notice'] {
    margin: 0;
    font-weight: 600;
  }
  [part='countdown'],
  .hint {
    color: var(--_muted);
    font-size: 0.9rem;
    font-variant-numeric: tabular-nums;
  }
  .mark {
    width: 3.5rem;
    height: 3.5rem;
    fill: none;
    stroke: var(--_accent);
    stroke-width: 2.5;
  }
`;
