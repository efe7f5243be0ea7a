// The product version, injected at bundle time; unbundled runs (unit tests) see a dev marker.
declare const __QLP_VERSION__: string | undefined;

export const qlpVersion: string = typeof __QLP_VERSION__ === 'string' ? __QLP_VERSION__ : '0.0.0-dev';
