/**
 * Two builds of the widget, and the merchant's console (`npm run build` runs all three):
 * - default mode: `dist/codepay-checkout.js`, Lit bundled, for a CDN or the signer's
 *   `GET /codepay-checkout.js`, plus one lazily loaded sibling with fixed name,
 *   `dist/codepay-checkout-flow.js` (the order flow and the QR encoder).
 * - `--mode npm`: `dist/npm/index.js`, with `lit` and `qrcode` left to the consumer's bundler.
 * - `--mode console`: `dist/console/assets/console.js` and its page `dist/console/index.html`, the console the
 *   signer serves under /admin: a bundle of its own, so nothing of it reaches the widget's.
 * Library mode (no module-preload helper), but minified fully: Vite keeps whitespace in ES libraries.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import MagicString from 'magic-string';
import { defineConfig, type Plugin, type UserConfig } from 'vite';
import * as retryable from './widget/retryable.ts';

/** Whitespace in Lit's html`` and css`` templates is markup, not meaning: squeeze it out. */
const squeeze: Record<string, (text: string) => string> = {
  html: (text) =>
    text
      .replace(/>\s*\n\s*/g, '>')
      .replace(/\s*\n\s*</g, '<')
      .replace(/\s*\n\s*/g, ' ')
      // `r="24" />` -> `r="24"/>`; never after an expression, where `/` would join the unquoted value
      .replace(/" (\/?>)/g, '"$1')
      // `part="base"` -> `part=base`; quoted before `/`, which would join the unquoted value
      .replace(/="([\w-]+)"(?!\/)/g, '=$1'),
  css: (text) =>
    text
      .replace(/\/\*[^]*?\*\//g, '')
      .replace(/\s+/g, ' ')
      .replace(/ ?([{};,>]) ?/g, '$1')
      .replace(/: /g, ':')
      .replace(/;}/g, '}')
      .replace(/::(before|after)/g, ':$1')
      .replace(/='([\w-]+)'\]/g, '=$1]') // [part='base'] -> [part=base]
      .replace(/([\s:,(])0\.(\d)/g, '$1.$2') // 0.6rem -> .6rem
      .trim(),
};

function minifyTemplates(): Plugin {
  return {
    name: 'codepay:minify-templates',
    apply: 'build',
    enforce: 'post', // after TypeScript is stripped
    transform(code, id) {
      if (!id.includes('/widget/') || !/\b(html|css)`/.test(code)) return null;
      const out = new MagicString(code);
      const visit = (node: unknown): void => {
        if (!node || typeof node !== 'object') return;
        if (Array.isArray(node)) return node.forEach(visit);
        // An estree node, walked by its fields.
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const n = node as Record<string, any>;
        const minify = n.type === 'TaggedTemplateExpression' && n.tag.type === 'Identifier' && squeeze[n.tag.name];
        if (minify)
          for (const quasi of n.quasi.quasis)
            if (quasi.end > quasi.start) out.overwrite(quasi.start, quasi.end, minify(quasi.value.raw));
        Object.values(n).forEach(visit);
      };
      visit(this.parse(code));
      return { code: out.toString(), map: out.generateMap({ hires: true }) };
    },
  };
}

/**
 * The qrcode package's encoder parts (widget/qr.ts, and the bench's floor) are CommonJS, which
 * Rolldown bundles whole, each in a lazy-init wrapper, with its interop runtime. They are plain `exports.name = …`,
 * `module.exports = …` and `const x = require('./x')` modules: rewritten here as ES modules, what
 * qr.ts leaves unused is shaken out (about 0.9 KB gz). Written here because @rollup/plugin-commonjs
 * fails under Rolldown (it needs Rollup's module loading); any other CommonJS in a file stops the
 * build rather than pass through.
 */
function qrcodeAsEsm(): Plugin {
  return {
    name: 'codepay:qrcode-esm',
    apply: 'build',
    enforce: 'pre',
    transform(code, id) {
      if (!/\/qrcode\/lib\/core\/[\w-]+\.js$/.test(id)) return null;
      const esm = code
        .replace(/^const (\w+) = require\('(\.\/[\w-]+)'\)\.(\w+)$/gm, "import { $3 as $1 } from '$2.js'")
        // A module that sets module.exports (a class: BitBuffer, ReedSolomonEncoder…) is a default import.
        .replace(/^const (\w+) = require\('(\.\/[\w-]+)'\)$/gm, (_, name, path) =>
          /^module\.exports = /m.test(readFileSync(join(dirname(id), `${path}.js`), 'utf8'))
            ? `import ${name} from '${path}.js'`
            : `import * as ${name} from '${path}.js'`,
        )
        // A package (segments.js's dijkstrajs): its module.exports is an ES module's default.
        .replace(/^const (\w+) = require\('([\w-]+)'\)$/gm, "import $1 from '$2'")
        .replace(/^exports\.(\w+) = /gm, 'export const $1 = ')
        .replace(/\bexports\.(\w+)/g, '$1')
        .replace(/^module\.exports = (\w+)$/m, 'export default $1');
      if (/\brequire\(|\bmodule\.exports\b|\bexports\b/.test(esm)) this.error(`CommonJS left in ${id}`);
      return { code: esm, map: null };
    },
  };
}

/** The console's page, beside its script (library mode emits no HTML of its own). */
function consolePage(): Plugin {
  return {
    name: 'codepay:console-page',
    apply: 'build',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'index.html', source: readFileSync('widget/console/index.html') });
    },
  };
}

/**
 * Modules whose exports are data computed from the shared code: the build writes their values as
 * literals, so the widget carries the result, not what it is computed from (widget/retryable.ts).
 */
function inlineValues(modules: Record<string, Record<string, unknown>>): Plugin {
  return {
    name: 'codepay:inline-values',
    apply: 'build',
    load(id) {
      const name = Object.keys(modules).find((path) => id.endsWith(path));
      if (!name) return null;
      return Object.entries(modules[name]!)
        .map(([key, value]) => `export const ${key} = ${JSON.stringify(value)};`)
        .join('\n');
    },
  };
}

/** The merchant's console: one script, Lit bundled, no lazy chunk (it loads once per session). */
const consoleBuild = {
  publicDir: false,
  envDir: false,
  plugins: [minifyTemplates(), qrcodeAsEsm(), consolePage()],
  build: {
    outDir: 'dist/console',
    target: 'es2022',
    lib: { entry: 'widget/console/index.ts', formats: ['es'] },
    rolldownOptions: {
      output: { minify: true, comments: false, entryFileNames: 'assets/console.js', codeSplitting: false },
    },
  },
} satisfies UserConfig;

export default defineConfig(({ mode }) => {
  if (mode === 'console') return consoleBuild;
  const npm = mode === 'npm';
  return {
    // The widget only: no index.html, public/ or .env files take part.
    publicDir: false,
    envDir: false,
    plugins: [qrcodeAsEsm(), inlineValues({ 'widget/retryable.ts': retryable }), minifyTemplates()],
    build: {
      outDir: npm ? 'dist/npm' : 'dist',
      target: 'es2022',
      lib: { entry: 'widget/index.ts', formats: ['es'] },
      rolldownOptions: {
        // Lets the lazy chunk import what the entry already holds (Lit, the API client) instead of
        // splitting those into a third, shared chunk.
        preserveEntrySignatures: 'allow-extension',
        external: npm ? [/^lit(\/|$)/, /^@lit\//, /^qrcode(\/|$)/] : [],
        output: {
          minify: true,
          comments: false,
          entryFileNames: npm ? 'index.js' : 'codepay-checkout.js',
          // Fixed names, so the signer can serve them next to the entry without a manifest.
          chunkFileNames: 'codepay-checkout-[name].js',
        },
      },
    },
  };
});
