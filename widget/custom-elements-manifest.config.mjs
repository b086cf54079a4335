// custom-elements.json for the npm package (`npm run build`): the element's attributes, properties, events,
// slots and parts; its state is `#private` (listed with "privacy": "private"), so no filter is needed.
export default {
  globs: ['widget/codepay-checkout.ts', 'widget/index.ts'],
  outdir: 'dist/npm',
  litelement: true,
};
