// Whether a request meets a listener rule's conditions (path-pattern, host-header,
// http-header, http-request-method, query-string, source-ip).
import type { RuleCondition } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { IncomingMessage } from 'node:http';
import { BlockList, isIPv4 } from 'node:net';

function wildcard(pattern: string, flags = ''): RegExp {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, flags);
}

function anyMatches(patterns: string[], value: string | undefined, flags = ''): boolean {
  return value !== undefined && patterns.some((pattern) => wildcard(pattern, flags).test(value));
}

export function conditionValues(condition: RuleCondition): string[] {
  switch (condition.Field) {
    case 'path-pattern':
      return condition.PathPatternConfig?.Values ?? condition.Values ?? [];
    case 'host-header':
      return condition.HostHeaderConfig?.Values ?? condition.Values ?? [];
    default:
      return condition.Values ?? [];
  }
}

function meets(condition: RuleCondition, request: IncomingMessage, url: URL): boolean {
  switch (condition.Field) {
    case 'path-pattern':
      return anyMatches(conditionValues(condition), url.pathname);
    case 'host-header':
      return anyMatches(conditionValues(condition), (request.headers.host ?? '').replace(/:\d+$/, ''), 'i');
    case 'http-header': {
      const name = condition.HttpHeaderConfig?.HttpHeaderName?.toLowerCase() ?? '';
      const value = request.headers[name];
      return anyMatches(condition.HttpHeaderConfig?.Values ?? [], Array.isArray(value) ? value.join(',') : value, 'i');
    }
    case 'http-request-method':
      return (condition.HttpRequestMethodConfig?.Values ?? []).includes(request.method ?? '');
    case 'query-string':
      return (condition.QueryStringConfig?.Values ?? []).some((pair) =>
        [...url.searchParams].some(
          ([key, value]) => (pair.Key === undefined || wildcard(pair.Key, 'i').test(key)) && wildcard(pair.Value ?? '*', 'i').test(value),
        ),
      );
    case 'source-ip': {
      const address = (request.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
      if (!isIPv4(address)) return false;
      const list = new BlockList();
      for (const cidr of condition.SourceIpConfig?.Values ?? []) {
        const [network = '', prefix = '32'] = cidr.split('/');
        if (isIPv4(network)) list.addSubnet(network, Number(prefix), 'ipv4');
      }
      return list.check(address, 'ipv4');
    }
    default:
      return false;
  }
}

export function meetsAll(conditions: RuleCondition[], request: IncomingMessage, url: URL): boolean {
  return conditions.every((condition) => meets(condition, request, url));
}
