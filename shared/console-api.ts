/** What the console's API answers that its page reads as well: kept once for server and console. */

/** An action taken from the console, as recorded: who, what, when, how it ended. */
export interface ConsoleAction {
  id: string;
  at: number;
  /** Who: the console's sign-in and the address it came from. */
  actor: string;
  action: string;
  orderId: string | null;
  /** What else it was done to (an outbox event id), if anything. */
  target: string | null;
  result: 'ok' | 'refused';
  detail: string;
}
