// async_status: the state of a background job started by an `async:` task with poll: 0.
import { resultsFile } from '../../../executor/async-jobs.js';
import type { ModuleDefinition } from '../../module.js';

export const asyncStatusModule: ModuleDefinition<{ jid: string; mode: string }> = {
  name: 'ansible.builtin.async_status',
  argSpec: {
    jid: { type: 'str', required: true },
    mode: { type: 'str', default: 'status', choices: ['status', 'cleanup'] },
  },
  supportsCheckMode: true,
  controllerOnly: true,
  async run(args, ctx) {
    const ids = { ansible_job_id: args.jid, results_file: resultsFile(args.jid), started: 1 };
    const job = ctx.asyncJobs?.get(args.jid);
    if (!job) return { ...ids, failed: true, finished: 1, msg: 'could not find job' };
    if (args.mode === 'cleanup') {
      ctx.asyncJobs!.forget(args.jid);
      return { ansible_job_id: args.jid, erased: resultsFile(args.jid), changed: false };
    }
    if (!job.done) return { ...ids, finished: 0, changed: false };
    return { ...job.result, ...ids, finished: 1 };
  },
};
