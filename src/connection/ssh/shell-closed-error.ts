/** A worker's channel ended (or could not open); the connection decides what it means. */
export class ShellClosedError extends Error {
  constructor(
    message: string,
    /** The channel opened, and what it ran exited before the worker was ready. */
    readonly exitedAtStart = false,
  ) {
    super(message);
    this.name = 'ShellClosedError';
  }
}
