// custom-elements.json for the npm package (`npm run build`): the element's public face only.
export default {
  globs: ['widget/codepay-checkout.ts', 'widget/index.ts'],
  outdir: 'dist/npm',
  litelement: true,
  plugins: [
    {
      name: 'codepay:public-only',
      // Lit's internal state (`_config`, ...) looks like attributes, and an event helper's
      // `new CustomEvent(type)` like an event named "type": leave both out.
      packageLinkPhase({ customElementsManifest }) {
        for (const mod of customElementsManifest.modules) {
          for (const declaration of mod.declarations ?? []) {
            declaration.attributes = declaration.attributes?.filter((a) => !a.name.startsWith('_'));
            declaration.members = declaration.members?.filter((m) => !m.name.startsWith('_'));
            declaration.events = declaration.events?.filter((e) => e.name.startsWith('codepay-'));
          }
        }
      },
    },
  ],
};
