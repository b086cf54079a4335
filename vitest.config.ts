import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { commands } from './test/browser/commands.ts';
import { consoleCommands } from './test/browser/console-commands.ts';
import { linkCommands } from './test/browser/link-commands.ts';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['shared/**/*.test.ts', 'server/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['test/browser/**', 'node_modules/**'],
          // The merchant key watch: any test that sees the key in an answer, a log or an output fails.
          setupFiles: ['test/support/key-watch-setup.ts'],
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/browser/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
          // The sandbox's fault switches are global: one file at a time.
          fileParallelism: false,
          attachmentsDir: 'test/output/attachments',
          browser: {
            enabled: true,
            headless: true,
            // Debian's Chromium: no browser download.
            provider: playwright({
              launchOptions: {
                executablePath: '/usr/bin/chromium',
                args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
              },
              contextOptions: { permissions: ['clipboard-read', 'clipboard-write'] },
            }),
            instances: [{ browser: 'chromium' }],
            viewport: { width: 480, height: 720 },
            commands: { ...commands, ...linkCommands, ...consoleCommands },
            // Failure screenshots with the others, in the git-ignored test/output/.
            screenshotDirectory: 'test/output/failures',
          },
        },
      },
    ],
  },
});
