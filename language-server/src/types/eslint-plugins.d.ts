// These ESLint plugins ship no type declarations.
declare module 'eslint-plugin-security' {
  import type { ESLint, Linter } from 'eslint';
  const plugin: ESLint.Plugin & { configs: { recommended: Linter.Config } };
  export default plugin;
}

declare module '@microsoft/eslint-plugin-sdl' {
  import type { ESLint, Linter } from 'eslint';
  const plugin: ESLint.Plugin & { configs: Record<'required' | 'recommended' | 'common' | 'node' | 'react', Linter.Config[]> };
  export default plugin;
}
