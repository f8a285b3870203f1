// A service's blue-green pair on the in-memory EC2 and ELBv2: load balancer shop-lb with a
// listener on port 80 forwarding to shop-blue and shop-green with the weights a test asks
// for, and instances tagged with their service and color, registered in their group.
import type { PairArgs } from '../../../../src/modules/aws/bluegreen/pair-args.js';
import { TAG } from '../../../../src/modules/aws/bluegreen/state-tags.js';
import { FakeEc2 } from '../fake-ec2.js';
import { FakeElbv2, type TargetState, forward, weightsIn } from '../fake-elbv2.js';

type Color = 'blue' | 'green';

export const PAIR: PairArgs = { service: 'shop', load_balancer_name: 'shop-lb', listener_port: 80 };

export class FakePair {
  readonly elb = new FakeElbv2();
  readonly ec2 = new FakeEc2();
  readonly arn: Record<Color, string>;
  listenerArn = '';
  ruleArn: string | undefined;
  private names = 0;

  /**
   * `weights` undefined: the target groups exist but no listener forwards to them yet.
   * `rulePriority`: the weights sit in that rule of the listener instead of its default action.
   */
  constructor(options: { weights?: Record<Color, number>; deregistrationDelay?: number; rulePriority?: number; tags?: Partial<Record<Color, Record<string, string>>> } = {}) {
    this.ec2.pendingLooks = 0;
    const group = (color: Color) =>
      this.elb.addTargetGroup(`shop-${color}`, {
        tags: { [TAG.service]: 'shop', [TAG.color]: color, ...(options.tags?.[color] ?? {}) },
        ...(options.deregistrationDelay !== undefined ? { deregistrationDelay: options.deregistrationDelay } : {}),
      });
    this.arn = { blue: group('blue'), green: group('green') };
    if (options.weights) {
      const pairForward = forward([
        [this.arn.blue, options.weights.blue],
        [this.arn.green, options.weights.green],
      ]);
      if (options.rulePriority !== undefined) {
        const other = this.elb.addTargetGroup('shop-static');
        this.listenerArn = this.elb.addLoadBalancer('shop-lb', 80, [forward([[other, 1]])]).listenerArn;
        this.ruleArn = this.elb.addRule(this.listenerArn, options.rulePriority, [pairForward]);
      } else {
        this.listenerArn = this.elb.addLoadBalancer('shop-lb', 80, [pairForward]).listenerArn;
      }
    }
  }

  /** An instance of `color`, tagged with the pair's identity, registered unless told. */
  instance(color: Color, options: { health?: TargetState; registered?: boolean; name?: string; protected?: boolean; tagged?: boolean } = {}): string {
    const name = options.name ?? `shop-${color}-${++this.names}`;
    const tags: Record<string, string> = { Name: name, ...(options.tagged === false ? {} : { [TAG.service]: 'shop', [TAG.color]: color }) };
    const id = this.ec2.add(tags, new Date(Date.now() - 3_600_000));
    const instance = this.ec2.instances.get(id);
    if (instance) instance.disableApiTermination = options.protected ?? true;
    if (options.registered !== false) this.elb.addTarget(this.arn[color], id, options.health ?? 'healthy');
    return id;
  }

  /** The weights the load balancer has now. */
  weights(): Record<Color, number> {
    const actions = this.ruleArn
      ? [...this.elb.rules.values()].flat().find((r) => r.RuleArn === this.ruleArn)?.Actions
      : this.elb.listener(this.listenerArn).DefaultActions;
    const byArn = weightsIn(actions);
    return { blue: byArn[this.arn.blue] ?? 0, green: byArn[this.arn.green] ?? 0 };
  }

  tags(color: Color): Record<string, string> {
    return this.elb.tagsOf(`shop-${color}`);
  }

  /** Every mutating call to either service, in order, as [command name, input]. */
  mutations(): [string, unknown][] {
    return [...this.ec2.mutations(), ...this.elb.mutations()];
  }

  restore(): void {
    this.elb.restore();
    this.ec2.restore();
  }
}
