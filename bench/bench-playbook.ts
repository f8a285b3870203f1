// The benchmark project shared by the engine and history benchmarks: `hosts` local hosts
// in group `bench`, and `tasks` alternating set_fact/debug tasks.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function writeBenchProject(dir: string, hosts: number, tasks: number): void {
  const inventory = ['[bench]', ...Array.from({ length: hosts }, (_, i) => `h${String(i).padStart(4, '0')} ansible_connection=local`)].join('\n');
  writeFileSync(join(dir, 'inventory'), `${inventory}\n`);
  const taskList: string[] = [];
  for (let i = 0; i < tasks; i++) {
    taskList.push(
      i % 2 === 0
        ? `    - name: set fact ${i}\n      set_fact:\n        v${i}: "{{ inventory_hostname }}-${i}"`
        : `    - name: debug ${i}\n      debug:\n        msg: "{{ inventory_hostname }} {{ v${i - 1} }}"`,
    );
  }
  writeFileSync(join(dir, 'playbook.yml'), `- hosts: bench\n  gather_facts: false\n  tasks:\n${taskList.join('\n')}\n`);
}
