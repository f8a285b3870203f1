// Python's str() of the scalars playbooks pass where AWS wants text (tag values, filter
// values), so that `Port: 80` and `Enabled: true` become '80' and 'True' as in Ansible.
export function pyStr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  return String(value);
}
