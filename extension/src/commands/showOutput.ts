import type { CommandDeps } from './index';

/** QLP: Show output. */
export const showOutput =
  ({ ctx }: CommandDeps) =>
  () =>
    ctx.output.show(true);
