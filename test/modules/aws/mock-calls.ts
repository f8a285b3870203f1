// What a module sent through an aws-sdk-client-mock mock, for the fake services' assertions.

/** The calls a mock recorded (any client's mock). */
interface RecordedCalls {
  calls(): { args: readonly unknown[] }[];
}

type CommandClass = abstract new (...args: never[]) => unknown;

/** The calls of the `mutating` command classes, in order, as [command name, input]. */
export function mutationsOf(mock: RecordedCalls, mutating: readonly CommandClass[]): [string, unknown][] {
  return mock
    .calls()
    .map((call) => call.args[0] as { constructor: { name: string }; input: unknown })
    .filter((command) => mutating.some((c) => command instanceof c))
    .map((command) => [command.constructor.name.replace(/Command$/, ''), command.input]);
}

/** The inputs of every call of `command`, in order. */
export function inputsOf<T>(mock: RecordedCalls, command: abstract new (...args: never[]) => { input: T }): T[] {
  return mock
    .calls()
    .map((call) => call.args[0] as { input: T })
    .filter((c) => c instanceof command)
    .map((c) => c.input);
}
