// amazon.aws.ec2_instance_info: instances by ids or filters, optionally only those running
// for at least minimum_uptime minutes, described in snake_case with tags as a dict.
import type { ModuleDefinition } from '../../module.js';
import { awsFailure } from '../aws-call.js';
import { AwsSession } from '../clients.js';
import type { AwsConnectionArgs } from '../connection-args.js';
import { filterDictToList } from '../tags.js';
import { describeInstances } from './instances-api.js';
import { prettyInstance } from './instance-view.js';
import { ec2InstanceInfoSpec } from './ec2-instance-info.spec.js';

export interface Ec2InstanceInfoArgs extends AwsConnectionArgs {
  minimum_uptime?: number | null;
  instance_ids?: string[] | null;
  filters?: Record<string, unknown> | null;
}

export const ec2InstanceInfoModule: ModuleDefinition<Ec2InstanceInfoArgs> = {
  ...ec2InstanceInfoSpec,
  async run(args, ctx) {
    const ec2 = await new AwsSession(args, ctx.environment, 'ec2_instance_info').ec2();
    let instances;
    try {
      instances = await describeInstances(ec2, { ids: args.instance_ids ?? [], filters: filterDictToList(args.filters ?? {}) }, ctx.signal);
    } catch (error) {
      throw awsFailure(error, 'Failed to list ec2 instances');
    }
    if (args.minimum_uptime) {
      const oldest = Date.now() - args.minimum_uptime * 60_000;
      instances = instances.filter((i) => (i.LaunchTime?.getTime() ?? Infinity) < oldest);
    }
    return { changed: false, instances: instances.map(prettyInstance) };
  },
};
