// type() of data loaded from YAML as Ansible's loader builds it, as Python prints it in the
// messages that name a wrong type (`<class 'ansible.parsing.yaml.objects.AnsibleUnicode'>`).
export function pyTypeRepr(value: unknown): string {
  if (value === null || value === undefined) return "<class 'NoneType'>";
  if (typeof value === 'boolean') return "<class 'bool'>";
  if (typeof value === 'number') return Number.isInteger(value) ? "<class 'int'>" : "<class 'float'>";
  if (typeof value === 'string') return "<class 'ansible.parsing.yaml.objects.AnsibleUnicode'>";
  if (Array.isArray(value)) return "<class 'ansible.parsing.yaml.objects.AnsibleSequence'>";
  return "<class 'ansible.parsing.yaml.objects.AnsibleMapping'>";
}
