// async tasks: a module run that the task does not wait for (poll: 0), or waits for with
// a time limit while reporting progress (poll > 0). Jobs live in the controller for the
// run; async_status reads them by job id.
import { randomInt } from 'node:crypto';
import type { Result } from './task-result.js';

export interface AsyncJob {
  jid: string;
  host: string;
  done: boolean;
  result: Result | undefined;
  promise: Promise<Result>;
}

export class AsyncJobs {
  private readonly jobs = new Map<string, AsyncJob>();

  start(host: string, work: Promise<Result>): AsyncJob {
    const jid = `j${randomInt(1e11)}.${process.pid}`;
    const job: AsyncJob = { jid, host, done: false, result: undefined, promise: work };
    job.promise = work.then((result) => {
      job.done = true;
      job.result = result;
      return result;
    });
    this.jobs.set(jid, job);
    return job;
  }

  get(jid: string): AsyncJob | undefined {
    return this.jobs.get(jid);
  }

  forget(jid: string): void {
    this.jobs.delete(jid);
  }
}

export function resultsFile(jid: string): string {
  return `${process.env.HOME ?? '/root'}/.ansible_async/${jid}`;
}
