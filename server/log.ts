/** Structured JSON log lines. Secrets given at creation are masked in every line, whatever field holds them. */
export type LogFields = Record<string, unknown>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  secrets: string[];
  write?: (line: string) => void;
  quiet?: boolean;
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

  private emit(level: string, message: string, fields: LogFields | undefined): void {
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
}

/**
 * Standard output, written once per turn of the event loop: a write to a file or pipe is a
 * synchronous system call, and under load one turn answers dozens of requests. What a turn
 * logged is written before the next turn starts, and at exit.
 */
let pendingStdout = '';
function flushStdout(): void {
  const text = pendingStdout;
  pendingStdout = '';
  if (text) process.stdout.write(text);
}
process.on('exit', flushStdout);

function writeStdout(line: string): void {
  if (!pendingStdout) setImmediate(flushStdout);
  pendingStdout += `${line}\n`;
}

export function createLogger(options: LoggerOptions, bound: LogFields = {}): Logger {
  const sink: Sink = {
    write: options.write ?? writeStdout,
    secrets: options.secrets.filter((secret) => secret.length > 0),
    quiet: options.quiet === true,
  };
  return new JsonLogger(sink, bound);
}
