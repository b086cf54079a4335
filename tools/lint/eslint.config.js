/**
 * The project's lint: typescript-eslint's recommended rules, no import cycles, and the layers of
 * the design card, each importing only those below it:
 *
 *   shared/ ← server/model ← server/codepay (protocols, pure) ← server/providers and server/sandbox
 *   ← server/store ← server/orders, outbox, webhooks ← server/http and the CLI ← the assembly
 *   (config, gateway, signer, main, index, cli/admin, cli/main), the only code that reads Config.
 *
 * The widget imports shared/ only. Loaded by the eslint.config.js at the repository's root.
 */
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const ASSEMBLY = [
  './server/config.ts',
  './server/gateway.ts',
  './server/signer.ts',
  './server/main.ts',
  './server/index.ts',
  './server/cli/admin.ts',
  './server/cli/main.ts',
  // `npm run sandbox`: the sandbox alone, behind the signer's middleware chain.
  './server/sandbox/main.ts',
];
const SERVER_TOP = ['./server/http', './server/admin', './server/cli', ...ASSEMBLY];
const SERVICES = ['./server/orders', './server/outbox', './server/webhooks'];
const PROTOCOLS = ['./server/protocols', './server/codepay', './server/epay', './server/vmq'];
const GATEWAYS = ['./server/providers', './server/sandbox'];
/** The same, but for the sandbox's own entry point (main.ts), which is assembly. */
const GATEWAY_MODULES = ['./server/providers', './server/sandbox/!(main).ts', './server/sandbox/epay'];

/** `target` may import nothing from `from`; the message names the layer rule. */
const zone = (target, from, message, except) => ({ target, from, message, ...(except ? { except } : {}) });

const layers = [
  zone('./shared', ['./server', './widget', './test', './bench'], 'shared/ imports nothing else of ours.'),
  zone('./widget', ['./server', './test', './bench'], 'The widget imports shared/ only, never the server.'),
  zone(
    ['./server/model', './server/errors.ts', './server/log.ts'],
    './server',
    'The model, errors.ts and log.ts import nothing of ours but shared/.',
    ['./model'],
  ),
  zone(
    PROTOCOLS,
    [...SERVER_TOP, ...SERVICES, ...GATEWAYS, './server/store'],
    'A protocol is pure: model and shared/ only.',
  ),
  zone(
    GATEWAY_MODULES,
    [...SERVER_TOP, ...SERVICES, './server/store'],
    'Providers and sandboxes sit below the store and the services.',
  ),
  zone(
    './server/store',
    [...SERVER_TOP, ...SERVICES, ...GATEWAYS, ...PROTOCOLS],
    'The store stores: it imports no orders logic, no provider.',
  ),
  zone(SERVICES, SERVER_TOP, 'The order service, outbox and webhooks sit below HTTP, the CLI and the assembly.'),
  zone(
    ['./server/http', './server/admin', './server/cli/format.ts', './server/cli/password.ts'],
    ASSEMBLY,
    'Only the assembly reads Config and wires things.',
  ),
];

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'tools/lint/node_modules/', 'data/', 'test/output/', 'bench/results/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['widget/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    plugins: { 'import-x': importX },
    settings: {
      // Follow imports into .ts files too, not only .js ones (parsed with typescript-eslint's parser, as the file is).
      'import-x/extensions': ['.ts', '.js', '.mjs'],
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      // Type-only imports are erased at run time, so no-cycle (by design) follows value imports.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones: layers }],
      // As TypeScript's noUnusedLocals: a leading '_' marks what is left out on purpose (`{ sign: _sign, ...rest }`).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Declaration merging into the DOM's maps (HTMLElementEventMap) is an interface that only extends.
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
    },
  },
);
