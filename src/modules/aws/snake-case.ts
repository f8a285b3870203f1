// camel_dict_to_snake_dict: how amazon.aws turns boto3's CamelCase answers into the
// snake_case keys playbooks read (InstanceId -> instance_id, TargetGroupARNs ->
// target_group_arns). Keys listed in `ignore` keep their value untouched (tags, whose
// keys are case-sensitive), at the top level only, as in Ansible. Dates become the
// text Ansible's JSON encoder writes for them.

function camelToSnake(name: string): string {
  // Pluralised abbreviations first (ARNs -> _arns), then word boundaries.
  let text = name.replace(/[A-Z]{3,}s$/, (m) => `_${m.toLowerCase()}`);
  if (text.startsWith('_') && !name.startsWith('_')) text = text.slice(1);
  text = text.replace(/(.)([A-Z][a-z]+)/g, '$1_$2');
  return text.replace(/([a-z0-9])([A-Z]+)/g, '$1_$2').toLowerCase();
}

/** datetime.isoformat() of an aware UTC datetime: 2021-05-09T19:30:26+00:00 (microseconds when not 0). */
export function pythonIsoFormat(date: Date): string {
  const iso = date.toISOString(); // 2021-05-09T19:30:26.123Z
  const millis = date.getUTCMilliseconds();
  const fraction = millis === 0 ? '' : `.${String(millis).padStart(3, '0')}000`;
  return `${iso.slice(0, 19)}${fraction}+00:00`;
}

function plain(value: unknown): unknown {
  if (value instanceof Date) return pythonIsoFormat(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return value;
}

function isDict(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof Uint8Array);
}

function convertList(list: unknown[]): unknown[] {
  return list.map((item) => (isDict(item) ? camelDictToSnakeDict(item) : Array.isArray(item) ? convertList(item) : plain(item)));
}

export function camelDictToSnakeDict(dict: Readonly<Record<string, unknown>>, ignore: readonly string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(dict)) {
    if (value === undefined) continue;
    const snake = camelToSnake(key);
    if (ignore.includes(key)) out[snake] = value;
    else if (isDict(value)) out[snake] = camelDictToSnakeDict(value);
    else if (Array.isArray(value)) out[snake] = convertList(value);
    else out[snake] = plain(value);
  }
  return out;
}

export { camelToSnake };
