// AWS modules are defined in two parts so that the AWS SDK loads only when an AWS task
// runs: the spec (name, aliases, arguments, constraints...), which the engine needs at
// startup to validate tasks, and the implementation, imported on the first run.
import type { ModuleDefinition } from '../module.js';

/** Everything about a module but its run function. */
export type ModuleSpec = Omit<ModuleDefinition, 'run'>;

/**
 * A module definition made of `spec` whose run loads the implementation with `load` the
 * first time it is called (later calls reuse it). A failed load is retried on the next run.
 */
export function lazyModule(spec: ModuleSpec, load: () => Promise<ModuleDefinition<never>>): ModuleDefinition {
  let loading: Promise<ModuleDefinition<never>> | undefined;
  return {
    ...spec,
    async run(args, ctx) {
      loading ??= load().catch((error: unknown) => {
        loading = undefined;
        throw error;
      });
      const implementation = (await loading) as unknown as ModuleDefinition;
      return implementation.run(args, ctx);
    },
  };
}
