/**
 * Structured JSON log lines. Secrets given at creation are masked in every line, whatever field holds
 * them. A line that cannot be written is dropped and counted: the signer never stops for its log.
 */
import { writeSync } from 'node:fs';

export type LogFields = Record<string, unknown>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
  /**
   * For lines a flood repeats (a forged notify): the first line of `kind` in an interval is written
   * in full, the others only counted, and the count is written as one line when the interval ends.
   */
  repeated(kind: string, level: Level, message: string, fields?: LogFields): void;
}

export type Level = 'info' | 'warn' | 'error';

export interface LoggerOptions {
  secrets: string[];
  write?: (line: string) => void;
  quiet?: boolean;
  /** How long repeats of a kind are counted before their summary line; default a minute. */
  repeatIntervalMs?: number;
}

function serializeError(_key: string, value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;
}

function hasObject(fields: LogFields): boolean {
  for (const key in fields) {
    const value = fields[key];
    if (typeof value === 'object' && value !== null) return true;
  }
  return false;
}

/** `,"name":value,…` of the fields as JSON members, or '' when there are none. */
function jsonMembers(fields: LogFields): string {
  // The replacer (for errors) slows every value down: only fields that hold an object need it.
  const json = hasObject(fields) ? JSON.stringify(fields, serializeError) : JSON.stringify(fields);
  return json.length > 2 ? `,${json.slice(1, -1)}` : '';
}

function overlaps(bound: LogFields, fields: LogFields): boolean {
  for (const key in fields) if (Object.hasOwn(bound, key)) return true;
  return false;
}

/** The time as ISO text, made once a millisecond: under load, many lines share it. */
let clockMs = 0;
let clockText = '';
function isoNow(): string {
  const now = Date.now();
  if (now !== clockMs) {
    clockMs = now;
    clockText = new Date(now).toISOString();
  }
  return clockText;
}

/** What every logger made from one createLogger call shares. */
interface Sink {
  write: (line: string) => void;
  secrets: string[];
  quiet: boolean;
  repeats: Repeats;
}

/**
 * Kinds of line seen in the current interval, with how many repeats were not written. Kinds are
 * few and fixed in the code, so the map stays small.
 */
class Repeats {
  private readonly counts = new Map<string, number>();
  readonly intervalSeconds: number;

  constructor(private readonly intervalMs: number) {
    this.intervalSeconds = intervalMs / 1000;
  }

  /** True for the first line of its kind in an interval (write it); later ones are counted. */
  first(kind: string, summarize: (repeats: number) => void): boolean {
    const count = this.counts.get(kind);
    if (count !== undefined) {
      this.counts.set(kind, count + 1);
      return false;
    }
    this.counts.set(kind, 0);
    const timer = setTimeout(() => {
      const repeats = this.counts.get(kind) ?? 0;
      this.counts.delete(kind);
      if (repeats > 0) summarize(repeats);
    }, this.intervalMs);
    timer.unref();
    return true;
  }
}

/**
 * A class rather than closures: a request's child logger lives as long as its request (for an
 * event stream, minutes), so it should cost one small object.
 */
class JsonLogger implements Logger {
  /** The bound fields, serialized once for every line. */
  private readonly boundMembers: string;

  constructor(
    private readonly sink: Sink,
    private readonly bound: LogFields,
  ) {
    this.boundMembers = jsonMembers(bound);
  }

  private emit(level: Level, message: string, fields: LogFields | undefined): void {
    const { sink } = this;
    if (sink.quiet) return;
    // A line's own field replaces a bound one of the same name.
    const members =
      fields === undefined
        ? this.boundMembers
        : overlaps(this.bound, fields)
          ? jsonMembers({ ...this.bound, ...fields })
          : this.boundMembers + jsonMembers(fields);
    let line = `{"time":"${isoNow()}","level":${JSON.stringify(level)},"msg":${JSON.stringify(message)}${members}}`;
    for (const secret of sink.secrets) if (line.includes(secret)) line = line.split(secret).join('[redacted]');
    sink.write(line);
  }

  info(message: string, fields?: LogFields): void {
    this.emit('info', message, fields);
  }

  warn(message: string, fields?: LogFields): void {
    this.emit('warn', message, fields);
  }

  error(message: string, fields?: LogFields): void {
    this.emit('error', message, fields);
  }

  child(fields: LogFields): Logger {
    return new JsonLogger(this.sink, { ...this.bound, ...fields });
  }

  repeated(kind: string, level: Level, message: string, fields?: LogFields): void {
    const seconds = this.sink.repeats.intervalSeconds;
    const first = this.sink.repeats.first(kind, (repeats) =>
      this.emit(level, `${message}: repeats`, { kind, repeats, seconds }),
    );
    if (first) this.emit(level, message, { ...fields, kind });
  }
}

/**
 * Standard output, written once per turn of the event loop: a write to a file or pipe is a
 * synchronous system call, and under load one turn answers dozens of requests. What a turn
 * logged is written before the next turn starts, and at exit.
 *
 * Written to file descriptor 1 with writeSync rather than process.stdout: that stream dies at its
 * first error (EPIPE, ENOSPC), taking the process with it unless caught, and never writes again.
 * Here a failed write drops its lines and counts them; once writing works again, a line says how
 * many were lost. A reader that is only slow (EAGAIN) gets the rest a little later, up to a bound.
 */
const MAX_PENDING_BYTES = 4 * 1024 * 1024;
const RETRY_MS = 20;
let pendingStdout = '';
/** What a slow reader has not taken yet, written before anything newer. */
let slowRest: Buffer | undefined;
let flushScheduled = false;
let droppedLines = 0;
let unreportedDrops = 0;

function countLines(text: string): number {
  let lines = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lines++;
  return lines;
}

/**
 * Writes what it can: undefined when all was written, the bytes left when the reader is only slow
 * (EAGAIN), 'failed' when they cannot be written.
 */
function writeOut(bytes: Buffer): Buffer | 'failed' | undefined {
  let rest = bytes;
  try {
    while (rest.length > 0) rest = rest.subarray(writeSync(1, rest));
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EAGAIN' && rest.length <= MAX_PENDING_BYTES ? rest : 'failed';
  }
}

function flushStdout(): void {
  flushScheduled = false;
  const text = pendingStdout;
  pendingStdout = '';
  if (!text && !slowRest) return;
  const report = unreportedDrops
    ? `{"time":"${isoNow()}","level":"warn","msg":"log lines dropped: standard output could not be written","dropped":${unreportedDrops}}\n`
    : '';
  const fresh = Buffer.from(report + text);
  const waiting = slowRest;
  slowRest = undefined;
  const outcome = writeOut(waiting ? Buffer.concat([waiting, fresh]) : fresh);
  if (outcome === 'failed') {
    const lines = countLines(text) + (waiting ? countLines(waiting.toString('latin1')) : 0);
    droppedLines += lines;
    unreportedDrops += lines;
    return;
  }
  unreportedDrops = 0;
  if (outcome !== undefined) {
    slowRest = outcome;
    flushScheduled = true;
    setTimeout(flushStdout, RETRY_MS).unref();
  }
}
process.on('exit', flushStdout);

/** Text for standard output (lines, each ending in a newline), written with the log's next batch. */
export function writeStdout(text: string): void {
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flushStdout);
  }
  pendingStdout += text;
}

/** How many lines could not be written to standard output since the start (for /healthz). */
export function droppedLogLines(): number {
  return droppedLines;
}

function writeLine(line: string): void {
  writeStdout(`${line}\n`);
}

export function createLogger(options: LoggerOptions, bound: LogFields = {}): Logger {
  const sink: Sink = {
    write: options.write ?? writeLine,
    secrets: options.secrets.filter((secret) => secret.length > 0),
    quiet: options.quiet === true,
    repeats: new Repeats(options.repeatIntervalMs ?? 60_000),
  };
  return new JsonLogger(sink, bound);
}
