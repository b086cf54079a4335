/** Structured log lines; the signer's Logger fits, and main.ts prints to the console. */
export interface SandboxLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}
