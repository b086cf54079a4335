/**
 * Which of its three answers mapi.php gives (a control switch): `qrcode` (the text to draw as a
 * QR), `payurl` (a page to open or show as a QR) or `urlscheme` (an app link), chosen per payment
 * type and device as a real site's channels do. Default `qrcode`.
 */
import type { PayInstruction } from '../../epay/protocol.ts';

export type AnswerKind = PayInstruction['kind'];
export const ANSWER_KINDS: readonly AnswerKind[] = ['qrcode', 'payurl', 'urlscheme'];

export interface AnswerRule {
  type?: string;
  device?: string;
  kind: AnswerKind;
}

/** Reads `{"type"?: "wxpay", "device"?: "mobile", "kind": "payurl"}`; `kind: null` removes that rule. */
export function parseAnswerRule(body: unknown): { type?: string; device?: string; kind: AnswerKind | null } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new TypeError('expected a JSON object');
  const rule: { type?: string; device?: string; kind: AnswerKind | null } = { kind: null };
  for (const [name, value] of Object.entries(body)) {
    if (name === 'type' || name === 'device') {
      if (typeof value !== 'string' || !/^[a-z0-9]+$/.test(value)) throw new TypeError(`${name} must be a name`);
      rule[name] = value;
    } else if (name === 'kind') {
      if (value !== null && !ANSWER_KINDS.includes(value as AnswerKind)) {
        throw new TypeError(`kind must be one of ${ANSWER_KINDS.join(', ')}, or null`);
      }
      rule.kind = value as AnswerKind | null;
    } else {
      throw new TypeError(`unknown field ${JSON.stringify(name)}`);
    }
  }
  if (!('kind' in (body as object))) throw new TypeError('kind is required');
  return rule;
}

export class AnswerKinds {
  private readonly rules = new Map<string, AnswerRule>();

  set(rule: { type?: string; device?: string; kind: AnswerKind | null }): void {
    const key = `${rule.type ?? '*'}/${rule.device ?? '*'}`;
    if (rule.kind === null) this.rules.delete(key);
    else
      this.rules.set(key, {
        ...(rule.type && { type: rule.type }),
        ...(rule.device && { device: rule.device }),
        kind: rule.kind,
      });
  }

  /** The most specific rule: type and device, then type, then device, then everything; else qrcode. */
  for(type: string, device: string): AnswerKind {
    for (const key of [`${type}/${device}`, `${type}/*`, `*/${device}`, '*/*']) {
      const rule = this.rules.get(key);
      if (rule) return rule.kind;
    }
    return 'qrcode';
  }

  view(): AnswerRule[] {
    return [...this.rules.values()];
  }

  clear(): void {
    this.rules.clear();
  }
}
