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
    expect(lines).toEqual([{ time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), level: 'warn', msg: 'notify refused', requestId: 'r-1', status: 400 }]);
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
