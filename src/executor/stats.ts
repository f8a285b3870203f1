// The PLAY RECAP counters, per host, as Ansible counts them.

export interface HostStats {
  ok: number;
  changed: number;
  unreachable: number;
  failures: number;
  skipped: number;
  rescued: number;
  ignored: number;
}

export type StatName = keyof HostStats;

export class AggregateStats {
  /** Hosts that ran at least one task, in the order they were first seen. */
  readonly processed = new Map<string, HostStats>();
  /** set_stats data: per host, and `_run` for the whole run. */
  readonly custom = new Map<string, Record<string, unknown>>();

  private host(name: string): HostStats {
    let stats = this.processed.get(name);
    if (!stats) {
      stats = { ok: 0, changed: 0, unreachable: 0, failures: 0, skipped: 0, rescued: 0, ignored: 0 };
      this.processed.set(name, stats);
    }
    return stats;
  }

  increment(what: StatName, host: string): void {
    this.host(host)[what]++;
  }

  decrement(what: StatName, host: string): void {
    const stats = this.host(host);
    if (stats[what] > 0) stats[what]--;
  }

  summarize(host: string): HostStats {
    return { ...this.host(host) };
  }

  /** Touch a host so it appears in the recap even with all-zero counters. */
  touch(host: string): void {
    this.host(host);
  }
}
