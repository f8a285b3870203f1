// The workers of one connection. Each worker runs one command at a time and belongs to
// one identity (the login user, or a become user reached with sudo/su); several
// commands on one host run on several workers. The number of workers is capped below
// sshd's MaxSessions; when the server refuses a new session the cap drops to what it
// accepted. Idle workers of another identity make room when the cap is reached.
import type { BecomeOptions } from '../connection.js';
import type { RemoteShell } from './remote-shell.js';

export interface Lease {
  readonly shell: RemoteShell;
  readonly identity: string;
}

interface Slot {
  shell: RemoteShell;
  identity: string;
  leased: boolean;
}

interface Waiter {
  /** Times the server refused a session for it. */
  refusals: number;
  identity: string;
  become: BecomeOptions | undefined;
  resolve: (lease: Lease) => void;
  reject: (error: unknown) => void;
}

const MAX_REFUSALS = 50;
const REFUSAL_DELAY_MS = 20;

export type ShellOpener = (become: BecomeOptions | undefined) => Promise<RemoteShell>;

/** Server refused a session channel because of its MaxSessions limit. */
export function isSessionLimit(error: unknown): boolean {
  return error instanceof Error && /open failed|administratively prohibited|Channel open failure/i.test(error.message);
}

export class SessionPool {
  private slots: Slot[] = [];
  private waiters: Waiter[] = [];
  private opening = 0;
  /** Most workers the server has held at once. */
  private highWater = 0;

  constructor(
    private readonly open: ShellOpener,
    private limit: number,
  ) {}

  get size(): number {
    return this.slots.length;
  }

  acquire(identity: string, become: BecomeOptions | undefined): Promise<Lease> {
    const idle = this.slots.find((slot) => !slot.leased && slot.identity === identity && !slot.shell.closed);
    if (idle) {
      idle.leased = true;
      return Promise.resolve(idle);
    }
    return new Promise((resolve, reject) => {
      this.waiters.push({ refusals: 0, identity, become, resolve, reject });
      this.dispatch();
    });
  }

  release(lease: Lease): void {
    const slot = this.slots.find((s) => s.shell === lease.shell);
    if (slot) {
      slot.leased = false;
      if (slot.shell.closed) this.slots = this.slots.filter((s) => s !== slot);
    }
    this.dispatch();
  }

  /**
   * Closes one idle worker to free a session for a channel the pool does not manage (a
   * command on a terminal). False when every worker is busy.
   */
  retireIdle(): boolean {
    const spare = this.slots.find((slot) => !slot.leased);
    if (!spare) return false;
    spare.shell.close();
    this.slots = this.slots.filter((slot) => slot !== spare);
    return true;
  }

  /** Rejects everyone waiting and forgets all workers (the connection is gone). */
  reset(reason: unknown): void {
    for (const slot of this.slots) if (!slot.leased) slot.shell.close();
    this.slots = [];
    for (const waiter of this.waiters.splice(0)) waiter.reject(reason);
  }

  private dispatch(): void {
    this.slots = this.slots.filter((slot) => slot.leased || !slot.shell.closed);
    for (let i = 0; i < this.waiters.length; ) {
      const waiter = this.waiters[i]!;
      const idle = this.slots.find((slot) => !slot.leased && slot.identity === waiter.identity);
      if (idle) {
        idle.leased = true;
        this.waiters.splice(i, 1);
        waiter.resolve(idle);
        continue;
      }
      if (this.slots.length + this.opening >= this.limit) {
        // Make room by retiring an idle worker of another identity.
        const spare = this.slots.find((slot) => !slot.leased);
        if (!spare) {
          i++;
          continue;
        }
        spare.shell.close();
        this.slots = this.slots.filter((slot) => slot !== spare);
      }
      this.waiters.splice(i, 1);
      this.startWorker(waiter);
    }
  }

  private startWorker(waiter: Waiter): void {
    this.opening++;
    this.open(waiter.become).then(
      (shell) => {
        this.opening--;
        const slot: Slot = { shell, identity: waiter.identity, leased: true };
        this.slots.push(slot);
        this.highWater = Math.max(this.highWater, this.slots.length);
        waiter.resolve(slot);
        this.dispatch();
      },
      (error: unknown) => {
        this.opening--;
        if (isSessionLimit(error) && waiter.refusals < MAX_REFUSALS) {
          // The server holds fewer sessions than we assumed (or has not yet counted a
          // session we just closed): cap at what it held, and try again shortly.
          waiter.refusals++;
          this.limit = Math.max(1, Math.min(this.limit, this.highWater));
          setTimeout(() => {
            this.waiters.unshift(waiter);
            this.dispatch();
          }, REFUSAL_DELAY_MS);
        } else {
          waiter.reject(error);
          this.dispatch();
        }
      },
    );
  }
}
