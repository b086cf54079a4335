/** Runs the CodePay document's own PHP examples (../shared/reference) as a real peer. */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REFERENCE_DIR = fileURLToPath(new URL('../../../shared/reference/', import.meta.url));

export function runPhp(script: string, args: string[]): string {
  return execFileSync('php', [`${REFERENCE_DIR}${script}`, ...args], { encoding: 'utf8' });
}
