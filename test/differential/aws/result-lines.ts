// Registered results the scenarios write to results/*.json, as comparable lines: one per
// leaf, `path: value`, with what differs between any two clouds (ids, times, addresses of
// the cloud's own network, request ids) replaced by placeholders, and the keys that
// cannot be compared left out.

/** Keys no TypeScript runner can give as Ansible does, and why. */
export const NOT_COMPARABLE: { path: RegExp; why: string }[] = [
  { path: /(^|\.)exception$/, why: 'a Python traceback of the module (fail_json_aws adds it to every AWS failure)' },
  { path: /(^|\.)boto3_version$|(^|\.)botocore_version$/, why: 'the Python AWS SDK versions fail_json_aws reports' },
  { path: /(^|\.)(current_instance_boot_mode|CurrentInstanceBootMode)$/, why: "a DescribeInstances field newer than Debian 12's botocore 1.29 model" },
  {
    path: /\.invocation\.module_args\.(endpoint_url|aws_ca_bundle|region|debug_botocore_endpoint_logs)$/,
    why: "a gap for now: tsplay's argument specs have no env_fallback (AWS_URL, AWS_CA_BUNDLE, AWS_REGION... fill these in Ansible's invocation)",
  },
];

export interface CloudNetworks {
  /** The loopback networks (127.X) of the two clouds, which show in addresses and DNS names. */
  networks: string[];
}

export function normalizeValue(text: string, { networks }: CloudNetworks): string {
  let value = text;
  for (const network of networks) {
    const octet = network.split('.')[1]!;
    value = value.split(`127.${octet}.`).join('127.<net>.').split(`127-${octet}-`).join('127-<net>-');
  }
  return value
    .replace(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?/g, '<time>')
    .replace(/\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT\b/g, '<date>')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '<uuid>')
    .replace(/\b[0-9a-f]{32}\b/g, '<token>')
    .replace(/\b(i|vol|eni|eni-attach|r|sg|subnet|vpc|ami)-[0-9a-f]{8,17}\b/g, (id, kind: string) =>
      // The default account's fixed ids (vpc-00000000000000001, ...) are the same in both.
      /-0{10,}[0-9a-f]{0,2}$/.test(id) || kind === 'ami' ? id : `${kind}-<id>`,
    )
    .replace(/\b([0-9a-f]{2}:){5}[0-9a-f]{2}\b/g, '<mac>')
    .replace(/\bns-\d+\.awsdns-\d+\./g, 'ns-<n>.awsdns-<n>.')
    .replace(/\b([ZC])[0-9A-Z]{12,32}\b/g, '$1<id>')
    .replace(/\/[0-9a-f]{16}\b/g, '/<hex>');
}

function comparable(path: string): boolean {
  return !NOT_COMPARABLE.some((rule) => rule.path.test(path));
}

/** Every leaf of a JSON value as `path: value` (strings normalised), in document order. */
export function resultLines(value: unknown, clouds: CloudNetworks, path = ''): string[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return comparable(path) ? [`${path}: []`] : [];
    return value.flatMap((item, index) => resultLines(item, clouds, `${path}[${index}]`));
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (entries.length === 0) return comparable(path) ? [`${path}: {}`] : [];
    return entries.flatMap(([key, item]) => resultLines(item, clouds, `${path}.${key}`));
  }
  if (!comparable(path)) return [];
  return [`${path}: ${typeof value === 'string' ? JSON.stringify(normalizeValue(value, clouds)) : JSON.stringify(value)}`];
}
