/** What every epay sandbox route shares: one instance per createEpaySandbox call, never module state. */
import type { FaultTable } from '../faults.ts';
import type { Notifier } from '../notifier.ts';
import type { AnswerKinds } from './answer-kinds.ts';
import type { EpayLabels } from './notify.ts';
import type { EpayOrder, EpayState } from './state.ts';

export interface EpayRuntime {
  pid: string;
  key: string;
  basePath: string;
  /** The sandbox's public URL, basePath included; when unset, made from the request. */
  publicBaseUrl: string | undefined;
  state: EpayState;
  faults: FaultTable;
  answers: AnswerKinds;
  notifier: Notifier<EpayOrder, EpayLabels>;
  /** Aborted by close(): ends hanging and slow answers. */
  closing: AbortSignal;
}

/** The buyer's page, which the QR, the payurl and the urlscheme all lead to. */
export function epayPayUrl(base: string, tradeNo: string): string {
  return `${base}/pay/${tradeNo}`;
}

export function epayQrImageUrl(base: string, tradeNo: string): string {
  return `${base}/qr/${tradeNo}.png`;
}
