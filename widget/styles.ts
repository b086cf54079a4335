/**
 * One stylesheet; the page themes it with `--codepay-*` properties and `::part()`. Light and dark come
 * from `color-scheme` and `light-dark()`, so the `theme` attribute and `prefers-color-scheme` share
 * one set of colours. Channel colours are the ones buyers know; the pay button's text colour is
 * chosen per channel so it keeps a readable contrast.
 */
import { css } from './css.ts';

/** The card and the idle state: what the first paint needs. */
export const styles = css`
  :host {
    --_muted: var(--codepay-muted-color, light-dark(#5c5c5c, #a8a8a8));
    --_line: var(--codepay-border-color, light-dark(#e2e2e2, #3b3c40));
    --_ch: #1677ff;
    --_on: #fff;
    display: block;
    max-width: var(--codepay-width, 20rem);
    color-scheme: light dark;
    font: 15px/1.4 var(--codepay-font, system-ui, sans-serif);
    color: var(--codepay-color, light-dark(#1a1a1a, #f0f0f0));
  }
  :host([theme='light']) {
    color-scheme: light;
  }
  :host([theme='dark']) {
    color-scheme: dark;
  }
  :host([hidden]) {
    display: none;
  }
  .c2 {
    --_ch: #12b7f5;
    --_on: #000;
  }
  .c3 {
    --_ch: #07c160;
    --_on: #000;
  }
  [part='base'] {
    /* Here, not on :host: var(--_ch) must resolve where the channel class sets it. */
    --_accent: var(--codepay-accent, var(--_ch));
    padding: 1rem;
    border: 1px solid var(--_line);
    border-top: 4px solid var(--_accent);
    border-radius: var(--codepay-radius, 12px);
    background: var(--codepay-background, light-dark(#fff, #1e1f22));
    text-align: center;
  }
  [part='amount'] {
    margin: 0 0 1rem;
    font-size: 1.75rem;
    font-weight: 600;
  }
  /* The product's name, under the amount. */
  small {
    display: block;
    font-size: 0.95rem;
    font-weight: 400;
    color: var(--_muted);
  }
  [part='channels'] {
    display: flex;
    flex-flow: wrap;
    gap: 0.4rem;
    margin: 0 0 1rem;
  }
  [part='channel'] {
    flex: 1;
    min-width: max-content;
    display: flex;
    align-items: center;
    justify-content: center;
    gap: 0.35rem;
    padding: 0.5rem 0.25rem;
    border: 1px solid var(--_line);
    border-radius: calc(var(--codepay-radius, 12px) * 0.6);
    cursor: pointer;
    font-size: 0.85rem;
  }
  /* A dot in the channel's colour instead of the radio's circle (the radio stays, visually hidden
     with the .sr class, for keyboards and screen readers). */
  [part='channel']::before {
    content: '';
    padding: 0.3rem;
    border-radius: 50%;
    background: var(--_ch);
  }
  [part='channel']:has(:checked) {
    outline: 2px solid var(--_ch);
    outline-offset: -2px;
  }
  [part~='button'] {
    box-sizing: border-box;
    display: block;
    width: 100%;
    margin-top: 0.75rem;
    padding: 0.6rem 1rem;
    border: 0;
    border-radius: calc(var(--codepay-radius, 12px) * 0.6);
    background: var(--_accent);
    color: var(--_on);
    font: 700 19px/1.4 var(--codepay-font, system-ui, sans-serif);
    cursor: pointer;
  }
  [part='channel']:has(:focus-visible),
  [part~='button']:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  .sr {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
