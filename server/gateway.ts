/**
 * The merchant's gateway from its settings (assembly): the provider GATEWAY names, pointed at the
 * real gateway, or at that provider's sandbox mounted at /sandbox in sandbox mode.
 */
import type { Config } from './config.ts';
import type { Logger } from './log.ts';
import { codepayProvider } from './providers/codepay.ts';
import { epayProvider } from './providers/epay.ts';
import type { PaymentProvider } from './providers/provider.ts';
import { vmqProvider } from './providers/vmq.ts';
import { createEpaySandbox } from './sandbox/epay/index.ts';
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

type CodepayGatewayConfig = Extract<Config['gateway'], { provider: 'codepay' }>;
type EpayGatewayConfig = Extract<Config['gateway'], { provider: 'epay' }>;
type VmqGatewayConfig = Extract<Config['gateway'], { provider: 'vmq' }>;

/** Where the gateway sends the notify and the buyer back: the same for every provider. */
function signerUrls(config: Config, place: GatewayPlace): { notifyUrl: string; returnUrl: string | undefined } {
  return {
    notifyUrl: `${place.publicUrl}/api/notify`,
    returnUrl: config.returnUrls ? `${place.publicUrl}/api/return` : undefined,
  };
}

function openCodepay(gateway: CodepayGatewayConfig, config: Config, place: GatewayPlace): Gateway {
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
      ...signerUrls(config, place),
      timeoutMs: config.gatewayTimeoutMs,
    },
    sandbox?.inProcess(sandboxUrl),
  );
  return { provider, sandbox, livemode: gateway.kind === 'remote' };
}

function openEpay(gateway: EpayGatewayConfig, config: Config, place: GatewayPlace): Gateway {
  const sandboxUrl = `${place.signerUrl}${SANDBOX_PATH}`;
  const sandbox =
    gateway.kind === 'sandbox' && place.mountSandbox
      ? createEpaySandbox({
          pid: gateway.merchantId,
          key: gateway.merchantKey,
          basePath: SANDBOX_PATH,
          publicBaseUrl: config.publicUrl ? `${config.publicUrl}${SANDBOX_PATH}` : undefined,
          retrySchedule: gateway.retrySchedule,
          log: place.log.child({ component: 'sandbox' }),
        })
      : undefined;
  const provider = epayProvider(
    {
      // The sandbox serves mapi.php and api.php at its root, as a site does.
      url: gateway.kind === 'remote' ? gateway.url : `${sandboxUrl}/`,
      pid: gateway.merchantId,
      key: gateway.merchantKey,
      ...signerUrls(config, place),
      timeoutMs: config.gatewayTimeoutMs,
    },
    sandbox?.inProcess(sandboxUrl),
  );
  return { provider, sandbox, livemode: gateway.kind === 'remote' };
}

/** V免签: its server at VMQ_URL, or the V免签 sandbox at /sandbox (its API right under it). */
function openVmq(gateway: VmqGatewayConfig, config: Config, place: GatewayPlace): Gateway {
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
      notifyUrl: signerUrls(config, place).notifyUrl,
      timeoutMs: config.gatewayTimeoutMs,
    },
    sandbox?.inProcess(sandboxUrl),
  );
  return { provider, sandbox, livemode: gateway.kind === 'remote' };
}

/** The provider GATEWAY names, each opened by its own small opener. */
export function openGateway(config: Config, place: GatewayPlace): Gateway {
  const { gateway } = config;
  switch (gateway.provider) {
    case 'codepay':
      return openCodepay(gateway, config, place);
    case 'epay':
      return openEpay(gateway, config, place);
    case 'vmq':
      return openVmq(gateway, config, place);
  }
}
