import { unsafeCSS, type CSSResult } from '@lit/reactive-element';

/**
 * A tag for our own stylesheets, which interpolate nothing: Lit's `css` tag makes the same
 * CSSResult, plus a check of interpolated values that would only weigh on the first load. The
 * build squeezes the whitespace out of `css` templates (vite.config.ts).
 */
export const css = (strings: TemplateStringsArray): CSSResult => unsafeCSS(strings[0]);
