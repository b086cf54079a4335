/** Runs our PHP peers (test/peers/<peer>/, written from the protocols' facts): epay, V免签, a GBK CodePay site. */
import { execFile, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** One php run for a batch of cases: the JSON array in on stdin, the script's JSON array of answers out. */
export function runPeer<Answer>(peer: 'epay' | 'vmq' | 'codepay-gbk', script: string, cases: unknown[]): Answer[] {
  const path = fileURLToPath(new URL(`../peers/${peer}/${script}`, import.meta.url));
  const output = execFileSync('php', [path], { input: JSON.stringify(cases), encoding: 'utf8' });
  const answers = JSON.parse(output) as Answer[];
  if (answers.length !== cases.length) throw new Error(`${script} answered ${answers.length} of ${cases.length} cases`);
  return answers;
}

/**
 * runPeer without blocking: for a peer that calls a server of this same process (the sandbox),
 * which must go on answering while php runs.
 */
export function runPeerAsync<Answer>(peer: 'epay' | 'vmq', script: string, cases: unknown[]): Promise<Answer[]> {
  const path = fileURLToPath(new URL(`../peers/${peer}/${script}`, import.meta.url));
  return new Promise((resolve, reject) => {
    const child = execFile('php', [path], { encoding: 'utf8' }, (error, output) => {
      if (error) return reject(error);
      const answers = JSON.parse(output) as Answer[];
      if (answers.length !== cases.length)
        reject(new Error(`${script} answered ${answers.length} of ${cases.length} cases`));
      else resolve(answers);
    });
    child.stdin!.end(JSON.stringify(cases));
  });
}
