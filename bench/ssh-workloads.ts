// The SSH benchmarks' playbooks: the workloads (command tasks; mixed command, copy,
// template, file and stat tasks) and the project directory they run from.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Workload {
  title: string;
  hosts: number;
  tasks: number;
  /** The play's task list, YAML, indented under `tasks:`. */
  taskYaml: string;
}

export const commandTasks = (count: number): string =>
  Array.from({ length: count }, (_, i) => `    - name: true ${i + 1}\n      command: /bin/true`).join('\n');

// Two of each: command, copy, template, file, stat.
export const MIXED_TASKS = `
    - name: a directory
      file: { path: /srv/bench, state: directory, mode: "0755" }
    - name: a command
      command: uname -n
    - name: a file from files/
      copy: { src: app.conf, dest: /srv/bench/app.conf, mode: "0644" }
    - name: a template
      template: { src: app.ini.j2, dest: /srv/bench/app.ini, mode: "0640" }
    - name: stat the template
      stat: { path: /srv/bench/app.ini }
      register: rendered
    - name: a link
      file: { src: /srv/bench/app.ini, dest: /srv/bench/current.ini, state: link }
    - name: a command with the stat result
      command: echo {{ rendered.stat.size }}
    - name: content
      copy: { content: "{{ inventory_hostname }}\\n", dest: /srv/bench/name }
    - name: a second template
      template: { src: motd.j2, dest: /srv/bench/motd }
    - name: stat with checksum
      stat: { path: /srv/bench/app.conf, checksum_algorithm: sha1 }`;

export function writeProject(dir: string, hosts: readonly { name: string; address: string }[], workload: Workload, keyFile: string): void {
  mkdirSync(join(dir, 'files'), { recursive: true });
  mkdirSync(join(dir, 'templates'), { recursive: true });
  writeFileSync(join(dir, 'files/app.conf'), `${'setting = value\n'.repeat(64)}`);
  writeFileSync(join(dir, 'templates/app.ini.j2'), '[app]\nname = {{ inventory_hostname }}\naddress = {{ ansible_host }}\n{% for i in range(20) %}key{{ i }} = {{ i * 2 }}\n{% endfor %}');
  writeFileSync(join(dir, 'templates/motd.j2'), 'Welcome to {{ inventory_hostname }} ({{ group_names | join(", ") }})\n');
  const lines = hosts.map((h) => `${h.name} ansible_host=${h.address}`);
  writeFileSync(
    join(dir, 'inventory'),
    `[bench]\n${lines.join('\n')}\n\n[bench:vars]\nansible_user=root\nansible_port=22\nansible_ssh_private_key_file=${keyFile}\n` +
      `ansible_ssh_common_args='-o UserKnownHostsFile=/dev/null'\nansible_python_interpreter=/usr/bin/python3\n`,
  );
  const tasks = workload.tasks === 0 ? ' []' : `\n${workload.taskYaml.replace(/^\n/, '')}`;
  writeFileSync(join(dir, 'playbook.yml'), `- hosts: bench\n  gather_facts: false\n  tasks:${tasks}\n`);
}
