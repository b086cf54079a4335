/** The signer's demo page end to end: the built bundle under the signer's strict CSP, on the sandbox. */
import { expect, inject, test } from 'vitest';
import { commands } from 'vitest/browser';

test('the demo page loads under a strict CSP and takes a donation to paid', async () => {
  const run = await commands.runDemo(inject('signerUrl'), 'test/output/demo-page.png');
  expect(run.csp).toContain("default-src 'self'"); // no inline script, no eval allowed
  expect(run.errors).toEqual([]);
  expect(run.donationAmount).toContain('¥12.34');
  expect(run.qrRead).toBe(run.payload); // the bundle's QR encoder (qrcode's parts as ES modules) reads back
  expect(run.statuses).toEqual(['idle', 'idle', 'paid']);
  expect(run.events.some((line) => line.includes('codepay-paid'))).toBe(true);
});
