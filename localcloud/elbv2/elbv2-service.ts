// The ELBv2 Query API (version 2015-12-01) over the local load balancers.
import * as elbv2Client from '@aws-sdk/client-elastic-load-balancing-v2';
import type {
  AddTagsInput,
  CreateListenerInput,
  CreateLoadBalancerInput,
  CreateRuleInput,
  CreateTargetGroupInput,
  DeleteListenerInput,
  DeleteLoadBalancerInput,
  DeleteRuleInput,
  DeleteTargetGroupInput,
  DeregisterTargetsInput,
  DescribeListenersInput,
  DescribeLoadBalancerAttributesInput,
  DescribeLoadBalancersInput,
  DescribeRulesInput,
  DescribeTagsInput,
  DescribeTargetGroupAttributesInput,
  DescribeTargetGroupsInput,
  DescribeTargetHealthInput,
  ModifyListenerInput,
  ModifyLoadBalancerAttributesInput,
  ModifyRuleInput,
  ModifyTargetGroupAttributesInput,
  ModifyTargetGroupInput,
  RegisterTargetsInput,
  RemoveTagsInput,
  SetRulePrioritiesInput,
  SetIpAddressTypeInput,
  SetSecurityGroupsInput,
  SetSubnetsInput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { CloudError } from '../protocol/cloud-error.js';
import { paginate } from '../protocol/pagination.js';
import { operationsOf } from '../protocol/schema.js';
import { type QueryService, errorStatusesOf } from '../protocol/service.js';
import type { Elbv2 } from './elbv2.js';

const clientModule = elbv2Client as unknown as Record<string, unknown>;

function attributes(map: Map<string, string>) {
  return [...map].map(([Key, Value]) => ({ Key, Value }));
}

function pageSize(value: number | undefined): number | undefined {
  if (value !== undefined && (value < 1 || value > 400)) throw new CloudError('ValidationError', 'Page size must be between 1 and 400');
  return value;
}

export function elbv2Service(elb: Elbv2): QueryService {
  const handlers = {
    CreateTargetGroup: (input: CreateTargetGroupInput) => ({ TargetGroups: [elb.describeTargetGroup(elb.createTargetGroup(input))] }),

    ModifyTargetGroup: (input: ModifyTargetGroupInput) => ({ TargetGroups: [elb.describeTargetGroup(elb.modifyTargetGroup(input))] }),

    DeleteTargetGroup: (input: DeleteTargetGroupInput) => {
      elb.deleteTargetGroup(input.TargetGroupArn ?? '');
      return {};
    },

    DescribeTargetGroups: (input: DescribeTargetGroupsInput) => {
      let groups = [...elb.targetGroups.values()];
      if (input.LoadBalancerArn) {
        elb.loadBalancer(input.LoadBalancerArn);
        groups = groups.filter((g) => elb.loadBalancersOf(g).includes(input.LoadBalancerArn ?? ''));
      }
      if (input.TargetGroupArns?.length) {
        const wanted = input.TargetGroupArns;
        for (const arn of wanted) elb.targetGroup(arn);
        groups = groups.filter((g) => wanted.includes(g.arn));
      }
      if (input.Names?.length) {
        const names = input.Names;
        const missing = names.filter((n) => !groups.some((g) => g.name === n));
        if (missing.length) throw new CloudError('TargetGroupNotFound', `One or more target groups not found`);
        groups = groups.filter((g) => names.includes(g.name));
      }
      const page = paginate(groups, pageSize(input.PageSize), input.Marker);
      return { TargetGroups: page.items.map((g) => elb.describeTargetGroup(g)), NextMarker: page.nextToken };
    },

    DescribeTargetGroupAttributes: (input: DescribeTargetGroupAttributesInput) => ({
      Attributes: attributes(elb.targetGroup(input.TargetGroupArn ?? '').attributes),
    }),

    ModifyTargetGroupAttributes: (input: ModifyTargetGroupAttributesInput) => ({
      Attributes: attributes(elb.modifyTargetGroupAttributes(input.TargetGroupArn ?? '', input.Attributes ?? []).attributes),
    }),

    RegisterTargets: (input: RegisterTargetsInput) => {
      elb.registerTargets(input.TargetGroupArn ?? '', input.Targets);
      return {};
    },

    DeregisterTargets: (input: DeregisterTargetsInput) => {
      elb.deregisterTargets(input.TargetGroupArn ?? '', input.Targets);
      return {};
    },

    DescribeTargetHealth: (input: DescribeTargetHealthInput) => ({
      TargetHealthDescriptions: elb.describeTargetHealth(input.TargetGroupArn ?? '', input.Targets),
    }),

    CreateLoadBalancer: (input: CreateLoadBalancerInput) => ({ LoadBalancers: [elb.describeLoadBalancer(elb.createLoadBalancer(input))] }),

    DeleteLoadBalancer: async (input: DeleteLoadBalancerInput) => {
      await elb.deleteLoadBalancer(input.LoadBalancerArn ?? '');
      return {};
    },

    DescribeLoadBalancers: (input: DescribeLoadBalancersInput) => {
      let lbs = [...elb.loadBalancers.values()];
      if (input.LoadBalancerArns?.length) {
        const wanted = input.LoadBalancerArns;
        for (const arn of wanted) elb.loadBalancer(arn);
        lbs = lbs.filter((lb) => wanted.includes(lb.arn));
      }
      if (input.Names?.length) {
        const names = input.Names;
        const missing = names.filter((n) => !lbs.some((lb) => lb.name === n));
        if (missing.length) throw new CloudError('LoadBalancerNotFound', `Load balancers '[${missing.join(', ')}]' not found`);
        lbs = lbs.filter((lb) => names.includes(lb.name));
      }
      const page = paginate(lbs, pageSize(input.PageSize), input.Marker);
      return { LoadBalancers: page.items.map((lb) => elb.describeLoadBalancer(lb)), NextMarker: page.nextToken };
    },

    DescribeLoadBalancerAttributes: (input: DescribeLoadBalancerAttributesInput) => ({
      Attributes: attributes(elb.loadBalancer(input.LoadBalancerArn ?? '').attributes),
    }),

    ModifyLoadBalancerAttributes: (input: ModifyLoadBalancerAttributesInput) => ({
      Attributes: attributes(elb.modifyLoadBalancerAttributes(input.LoadBalancerArn ?? '', input.Attributes ?? []).attributes),
    }),

    SetSecurityGroups: (input: SetSecurityGroupsInput) => {
      const lb = elb.loadBalancer(input.LoadBalancerArn ?? '');
      lb.securityGroups = input.SecurityGroups ?? [];
      return { SecurityGroupIds: lb.securityGroups };
    },

    SetSubnets: (input: SetSubnetsInput) => {
      const lb = elb.setSubnets(input.LoadBalancerArn ?? '', input.Subnets ?? input.SubnetMappings?.map((m) => m.SubnetId ?? '') ?? []);
      return { AvailabilityZones: elb.describeLoadBalancer(lb).AvailabilityZones };
    },

    SetIpAddressType: (input: SetIpAddressTypeInput) => {
      const lb = elb.loadBalancer(input.LoadBalancerArn ?? '');
      if (input.IpAddressType !== 'ipv4') throw new CloudError('InvalidConfigurationRequest', 'The local cloud supports the ipv4 address type only');
      lb.ipAddressType = input.IpAddressType;
      return { IpAddressType: lb.ipAddressType };
    },

    CreateListener: async (input: CreateListenerInput) => ({ Listeners: [elb.describeListener(await elb.createListener(input))] }),

    ModifyListener: async (input: ModifyListenerInput) => ({
      Listeners: [elb.describeListener(await elb.modifyListener(input.ListenerArn ?? '', input.Port, input.Protocol, input.DefaultActions))],
    }),

    DeleteListener: async (input: DeleteListenerInput) => {
      await elb.deleteListener(input.ListenerArn ?? '');
      return {};
    },

    DescribeListeners: (input: DescribeListenersInput) => {
      if (!input.LoadBalancerArn && !input.ListenerArns?.length) {
        throw new CloudError('ValidationError', 'You must specify either listener ARNs or a load balancer ARN');
      }
      let listeners = [...elb.listeners.values()];
      if (input.LoadBalancerArn) {
        elb.loadBalancer(input.LoadBalancerArn);
        listeners = listeners.filter((l) => l.loadBalancerArn === input.LoadBalancerArn);
      }
      if (input.ListenerArns?.length) {
        const wanted = input.ListenerArns;
        for (const arn of wanted) elb.listener(arn);
        listeners = listeners.filter((l) => wanted.includes(l.arn));
      }
      const page = paginate(listeners, pageSize(input.PageSize), input.Marker);
      return { Listeners: page.items.map((l) => elb.describeListener(l)), NextMarker: page.nextToken };
    },

    CreateRule: (input: CreateRuleInput) => ({ Rules: [elb.describeRule(elb.createRule(input))] }),

    ModifyRule: (input: ModifyRuleInput) => ({
      Rules: [elb.describeRule(elb.modifyRule(input.RuleArn ?? '', input.Conditions, input.Actions))],
    }),

    DeleteRule: (input: DeleteRuleInput) => {
      elb.deleteRule(input.RuleArn ?? '');
      return {};
    },

    SetRulePriorities: (input: SetRulePrioritiesInput) => ({
      Rules: elb.setRulePriorities(input.RulePriorities ?? []).map((r) => elb.describeRule(r)),
    }),

    DescribeRules: (input: DescribeRulesInput) => {
      let rules;
      if (input.RuleArns?.length) {
        rules = input.RuleArns.map((arn) => elb.findRule(arn).rule);
      } else if (input.ListenerArn) {
        rules = elb.rulesInOrder(elb.listener(input.ListenerArn));
      } else {
        throw new CloudError('ValidationError', 'You must specify either listener rule ARNs or a listener ARN');
      }
      const page = paginate(rules, pageSize(input.PageSize), input.Marker);
      return { Rules: page.items.map((r) => elb.describeRule(r)), NextMarker: page.nextToken };
    },

    AddTags: (input: AddTagsInput) => {
      for (const arn of input.ResourceArns ?? []) elb.requireResource(arn);
      for (const arn of input.ResourceArns ?? []) elb.setTags(arn, input.Tags);
      return {};
    },

    RemoveTags: (input: RemoveTagsInput) => {
      for (const arn of input.ResourceArns ?? []) elb.requireResource(arn);
      for (const arn of input.ResourceArns ?? []) elb.removeTags(arn, input.TagKeys ?? []);
      return {};
    },

    DescribeTags: (input: DescribeTagsInput) => {
      const arns = input.ResourceArns ?? [];
      if (arns.length > 20) throw new CloudError('ValidationError', 'You can specify up to 20 resource ARNs');
      for (const arn of arns) elb.requireResource(arn);
      return { TagDescriptions: arns.map((ResourceArn) => ({ ResourceArn, Tags: elb.tagsOf(ResourceArn) })) };
    },

    DescribeAccountLimits: () => ({
      Limits: [
        { Name: 'application-load-balancers', Max: '50' },
        { Name: 'target-groups', Max: '3000' },
        { Name: 'targets-per-application-load-balancer', Max: '1000' },
        { Name: 'listeners-per-application-load-balancer', Max: '50' },
        { Name: 'rules-per-application-load-balancer', Max: '100' },
      ],
    }),
  };

  return {
    protocol: 'awsQuery',
    signingName: 'elasticloadbalancing',
    version: '2015-12-01',
    namespace: 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/',
    operations: operationsOf(clientModule),
    handlers,
    errorStatus: errorStatusesOf(clientModule),
  };
}
