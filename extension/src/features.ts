// Which parts of the product this build ships. package.json declares every command and view;
// those of features not shipped yet are hidden by `when`/`enablement` clauses on these keys.

export const featureKeys = {
  generate: 'qlp.feature.generate',
  search: 'qlp.feature.search',
  capsules: 'qlp.feature.capsules',
  validate: 'qlp.feature.validate',
  secrets: 'qlp.feature.secrets',
  sandbox: 'qlp.feature.sandbox',
  backend: 'qlp.feature.backend',
} as const;

export type FeatureId = keyof typeof featureKeys;

/** Features this build ships; their commands are registered and their views shown. */
export const shippedFeatures: readonly FeatureId[] = ['secrets', 'capsules', 'validate', 'sandbox', 'generate', 'search', 'backend'];
