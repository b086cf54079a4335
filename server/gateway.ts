/**
 * The merchant's gateway from its settings (assembly): the provider GATEWAY names, pointed at the
 * real gateway, or at that provider's sandbox mounted at /sandbox in sandbox mode.
 */
import type { Config, VmqGateway } from './config.ts';
import type { Logger } from './log.ts';
import { codepayProvider } from './providers/codepay.ts';
import type { PaymentProvider } from './providers/provider.ts';
import { vmqProvider } from './providers/vmq.ts';
import { createSandbox, type Sandbox } from './sandbox/index.ts';
import { createVmqSandbox } from './sandbox/vmq/index.ts';

export const SANDBOX_PATH = '/sandbox';

export interface Gateway {
  provider: PaymentProvider;
  /** The sandbox this process serves at /sandbox; undefined with a real gateway or when not mounted here. */
  sandbox: Sandbox | undefined;
  /** false in sandbox mode: payments are simulated. */
  livemode: boolean;
}

export interface GatewayPlace {
  /** Where the signer answers: in sandbox mode, the provider reaches the sandbox there. */
  signerUrl: string;
  /** Where the gateway and the buyer reach the signer: notify_url and return_url are made from it. */
  publicUrl: string;
  /** true: this process mounts the sandbox (and calls it in-process); false: another process does. */
  mountSandbox: boolean;
  log: Logger;
}

/** V免签: its server at VMQ_URL, or the V免签 sandbox at /sandbox (its API right under it). */
function openVmqGateway(config: Config, gateway: VmqGateway, place: GatewayPlace): Gateway {
  const sandboxUrl = `${place.signerUrl}${SANDBOX_PATH}`;
  const sandbox =
    gateway.kind === 'sandbox' && place.mountSandbox
      ? createVmqSandbox({
          merchantKey: gateway.merchantKey,
          basePath: SANDBOX_PATH,
          publicBaseUrl: config.publicUrl ? `${config.publicUrl}${SANDBOX_PATH}` : undefined,
          log: place.log.child({ component: 'sandbox' }),
        })
      : undefined;
  const provider = vmqProvider(
    {
      url: gateway.kind === 'remote' ? gateway.url : sandboxUrl,
      merchantKey: gateway.merchantKey,
      notifyUrl: `${place.publicUrl}/api/notify`,
      timeoutMs: config.gatewayTimeoutMs,
    },
    sandbox?.inProcess(sandboxUrl),
  );
  return { provider, sandbox, livemode: gateway.kind === 'remote' };
}

export function openGateway(config: Config, place: GatewayPlace): Gateway {
  const { gateway } = config;
  if (gateway.provider === 'vmq') return openVmqGateway(config, gateway, place);
  const sandboxUrl = `${place.signerUrl}${SANDBOX_PATH}`;
  const sandbox =
    gateway.kind === 'sandbox' && place.mountSandbox
      ? createSandbox({
          merchantId: gateway.merchantId,
          merchantKey: gateway.merchantKey,
          basePath: SANDBOX_PATH,
          publicBaseUrl: config.publicUrl ? `${config.publicUrl}${SANDBOX_PATH}` : undefined,
          retrySchedule: gateway.retrySchedule,
          moneySpanCents: gateway.moneySpanCents,
          log: place.log.child({ component: 'sandbox' }),
        })
      : undefined;
  // The sandbox serves creat_order and ispay as the real gateway does.
  const endpoints =
    gateway.kind === 'remote'
      ? { url: gateway.url, ispayUrl: gateway.ispayUrl }
      : { url: `${sandboxUrl}/creat_order/`, ispayUrl: `${sandboxUrl}/ispay` };
  const provider = codepayProvider(
    {
      ...endpoints,
      merchantId: gateway.merchantId,
      merchantKey: gateway.merchantKey,
      merchantToken: gateway.merchantToken,
      notifyUrl: `${place.publicUrl}/api/notify`,
      returnUrl: config.returnUrls ? `${place.publicUrl}/api/return` : undefined,
      timeoutMs: config.gatewayTimeoutMs,
    },
    sandbox?.inProcess(sandboxUrl),
  );
  return { provider, sandbox, livemode: gateway.kind === 'remote' };
}
