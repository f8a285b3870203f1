// The timer callback (ansible.posix): how long the run took, after the recap.
import type { Display } from '../display.js';
import type { OutputCallback } from '../events.js';
import { daysHoursMinutesSeconds } from './time-format.js';

export class TimerCallback implements OutputCallback {
  private readonly startedAt: number;

  constructor(
    private readonly display: Display,
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
  }

  stats(): void {
    const [days, hours, minutes, seconds] = daysHoursMinutesSeconds(this.now() - this.startedAt);
    this.display.display(`Playbook run took ${days} days, ${hours} hours, ${minutes} minutes, ${seconds} seconds`);
  }
}
