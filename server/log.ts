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

function serializeError(value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;
}

export function createLogger(options: LoggerOptions, bound: LogFields = {}): Logger {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const secrets = options.secrets.filter((secret) => secret.length > 0);
  const emit = (level: string, message: string, fields: LogFields = {}) => {
    if (options.quiet) return;
    const entry = { time: new Date().toISOString(), level, msg: message, ...bound, ...fields };
    let line = JSON.stringify(entry, (_key, value) => serializeError(value));
    for (const secret of secrets) line = line.split(secret).join('[redacted]');
    write(line);
  };
  return {
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
    child: (fields) => createLogger(options, { ...bound, ...fields }),
  };
}
