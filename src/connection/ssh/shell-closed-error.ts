/** A worker's channel ended (or could not open); the connection decides what it means. */
export class ShellClosedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShellClosedError';
  }
}
