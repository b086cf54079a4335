/** Runs our PHP peers of the epay and V免签 protocols (test/peers/<protocol>/, written from the facts). */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** One php run for a batch of cases: the JSON array in on stdin, the script's JSON array of answers out. */
export function runPeer<Answer>(protocol: 'epay' | 'vmq', script: string, cases: unknown[]): Answer[] {
  const path = fileURLToPath(new URL(`../peers/${protocol}/${script}`, import.meta.url));
  const output = execFileSync('php', [path], { input: JSON.stringify(cases), encoding: 'utf8' });
  const answers = JSON.parse(output) as Answer[];
  if (answers.length !== cases.length) throw new Error(`${script} answered ${answers.length} of ${cases.length} cases`);
  return answers;
}
