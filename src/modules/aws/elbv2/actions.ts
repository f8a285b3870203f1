// Listener and rule actions and conditions as the ALB modules compare them. AWS answers
// with more than it was given (ForwardConfig beside TargetGroupArn, default weights and
// stickiness, redirect defaults, Order), so both sides are brought to one canonical form
// first; a weight change between blue and green target groups is then a real difference
// and nothing else is. Target groups may be named (TargetGroupName) anywhere an ARN goes.
import type { Action, RuleCondition } from '@aws-sdk/client-elastic-load-balancing-v2';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Drops undefined and null members, recursively (boto3 leaves absent keys out). */
export function pruneEmpty(value: unknown): Json {
  if (Array.isArray(value)) return value.map(pruneEmpty);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, Json> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) if (v !== undefined && v !== null) out[key] = pruneEmpty(v);
    return out;
  }
  return value as Json;
}

const REDIRECT_DEFAULTS = { Protocol: '#{protocol}', Port: '#{port}', Host: '#{host}', Path: '/#{path}', Query: '#{query}' };
const OIDC_DEFAULTS = { Scope: 'openid', SessionTimeout: 604800, SessionCookieName: 'AWSELBAuthSessionCookie', OnUnauthenticatedRequest: 'authenticate' };

function canonicalAction(action: Action): Json {
  const { Order: _order, ...rest } = pruneEmpty(action) as Record<string, Json> & { Order?: Json };
  if (rest.Type === 'forward') {
    const forward = (rest.ForwardConfig ?? {}) as { TargetGroups?: { TargetGroupArn?: string; Weight?: number }[]; TargetGroupStickinessConfig?: { Enabled?: boolean; DurationSeconds?: number } };
    const tuples = forward.TargetGroups?.length ? forward.TargetGroups : [{ TargetGroupArn: rest.TargetGroupArn as string }];
    const single = tuples.length === 1;
    const stickiness = forward.TargetGroupStickinessConfig?.Enabled ? { Enabled: true, DurationSeconds: forward.TargetGroupStickinessConfig.DurationSeconds ?? null } : { Enabled: false };
    return {
      Type: 'forward',
      TargetGroups: tuples
        .map((t) => ({ TargetGroupArn: t.TargetGroupArn ?? null, Weight: single ? null : (t.Weight ?? 1) }))
        .sort((a, b) => String(a.TargetGroupArn).localeCompare(String(b.TargetGroupArn))),
      Stickiness: stickiness as Json,
    };
  }
  if (rest.Type === 'redirect') return { ...rest, RedirectConfig: { ...REDIRECT_DEFAULTS, ...(rest.RedirectConfig as Record<string, Json>) } };
  if (rest.Type === 'authenticate-oidc') {
    const { ClientSecret: _secret, UseExistingClientSecret: _existing, ...config } = (rest.AuthenticateOidcConfig ?? {}) as Record<string, Json>;
    return { ...rest, AuthenticateOidcConfig: { ...OIDC_DEFAULTS, ...config } };
  }
  return rest;
}

const byOrder = (a: Action, b: Action) => (a.Order ?? 0) - (b.Order ?? 0);

/** JSON with every object's keys sorted: dicts compare as Python's do, whatever order AWS or the playbook wrote. */
function sortedJson(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${sortedJson(value[key] as Json)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function sameActions(current: readonly Action[], wanted: readonly Action[]): boolean {
  if (current.length !== wanted.length) return false;
  const left = [...current].sort(byOrder).map(canonicalAction);
  const right = [...wanted].sort(byOrder).map(canonicalAction);
  return sortedJson(left) === sortedJson(right);
}

function canonicalCondition(condition: RuleCondition): string {
  const c = condition as Record<string, unknown>;
  const configValues = (key: string) => ((c[key] as { Values?: string[] } | undefined)?.Values ?? undefined);
  const values =
    configValues('HostHeaderConfig') ??
    configValues('PathPatternConfig') ??
    configValues('HttpRequestMethodConfig') ??
    configValues('SourceIpConfig') ??
    configValues('HttpHeaderConfig') ??
    condition.Values ??
    [];
  return JSON.stringify({
    Field: condition.Field,
    Values: [...values].sort(),
    Header: condition.HttpHeaderConfig?.HttpHeaderName ?? null,
    Query: (condition.QueryStringConfig?.Values ?? []).map((kv) => [kv.Key ?? null, kv.Value ?? null]),
  });
}

export function sameConditions(current: readonly RuleCondition[], wanted: readonly RuleCondition[]): boolean {
  const left = current.map(canonicalCondition).sort();
  const right = wanted.map(canonicalCondition).sort();
  return JSON.stringify(left) === JSON.stringify(right);
}

/**
 * Replaces TargetGroupName (at the action's level or in ForwardConfig.TargetGroups) with
 * the group's ARN, as the Ansible modules do for the action level.
 */
export async function withTargetGroupArns(actions: readonly Record<string, unknown>[], arnOf: (name: string) => Promise<string>): Promise<Action[]> {
  const out: Action[] = [];
  for (const original of actions) {
    const action = pruneEmpty(original) as Record<string, unknown>;
    if (typeof action.TargetGroupName === 'string') {
      action.TargetGroupArn = await arnOf(action.TargetGroupName);
      delete action.TargetGroupName;
    }
    const forward = action.ForwardConfig as { TargetGroups?: Record<string, unknown>[] } | undefined;
    for (const tuple of forward?.TargetGroups ?? []) {
      if (typeof tuple.TargetGroupName === 'string') {
        tuple.TargetGroupArn = await arnOf(tuple.TargetGroupName);
        delete tuple.TargetGroupName;
      }
      if (tuple.Weight !== undefined) tuple.Weight = Number(tuple.Weight);
    }
    if (action.Order !== undefined) action.Order = Number(action.Order);
    out.push(action as unknown as Action);
  }
  return out;
}
