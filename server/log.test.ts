import { describe, expect, it } from 'vitest';
import { createLogger } from './log.ts';

function capture(secrets: string[] = []) {
  const raw: string[] = [];
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({
    secrets,
    write: (line) => {
      raw.push(line);
      lines.push(JSON.parse(line));
    },
  });
  return { log, lines, raw };
}

describe('log lines', () => {
  it('are one JSON object each: time, level, message, bound fields, then the line’s own', () => {
    const { log, lines } = capture();
    log.child({ requestId: 'r-1' }).warn('notify refused', { status: 400 });
    expect(lines).toEqual([
      {
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        level: 'warn',
        msg: 'notify refused',
        requestId: 'r-1',
        status: 400,
      },
    ]);
    expect(Object.keys(lines[0])).toEqual(['time', 'level', 'msg', 'requestId', 'status']);
  });

  it('let a line’s field replace a bound one of the same name', () => {
    const { log, lines, raw } = capture();
    log.child({ component: 'outbox', attempt: 1 }).info('retry', { attempt: 2 });
    expect(lines[0]).toMatchObject({ component: 'outbox', attempt: 2 });
    expect(raw[0].match(/"attempt"/g)).toHaveLength(1);
  });

  it('spell out errors, and mask the secrets wherever they appear', () => {
    const { log, lines } = capture(['k3y-s3cret']);
    log.child({ note: 'key k3y-s3cret' }).error('failed', { error: new Error('bad k3y-s3cret') });
    expect(JSON.stringify(lines)).not.toContain('k3y-s3cret');
    expect(lines[0]).toMatchObject({ note: 'key [redacted]', error: { name: 'Error', message: 'bad [redacted]' } });
  });
});

describe('repeated lines', () => {
  it('write the first of a kind in full, count the rest, and write the count when the interval ends', async () => {
    const raw: string[] = [];
    const log = createLogger({ secrets: [], write: (line) => raw.push(line), repeatIntervalMs: 50 });
    for (let i = 0; i < 1000; i++) log.repeated('forged', 'warn', 'notify refused', { attempt: i });
    log.repeated('other', 'info', 'request', { status: 400 });
    expect(raw.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ level: 'warn', msg: 'notify refused', attempt: 0, kind: 'forged' }),
      expect.objectContaining({ level: 'info', msg: 'request', status: 400, kind: 'other' }),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(raw.slice(2).map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({
        level: 'warn',
        msg: 'notify refused: repeats',
        kind: 'forged',
        repeats: 999,
        seconds: 0.05,
      }),
    ]);
    // A new interval starts with a line in full again.
    log.repeated('forged', 'warn', 'notify refused', { attempt: 1000 });
    expect(JSON.parse(raw.at(-1)!)).toMatchObject({ msg: 'notify refused', attempt: 1000 });
  });
});
