// The valid inputs the fuzz test mutates: a small project (playbooks, a role, a tasks
// file, a vars file, a template), inventories in INI and YAML, and extra-vars in every
// form -e takes. Everything a playbook writes goes under `{{ playbook_dir }}/out`, and
// nothing sleeps, so a mutated copy stays fast and stays inside its own folder.

/** Files of the project every case starts from (path relative to the case folder -> text). */
export const PROJECT: Record<string, string> = {
  'playbook.yml': `---
- name: Configure the web tier
  hosts: web:!web3
  gather_facts: false
  vars:
    app_name: shop
    ports: [80, 443]
    settings:
      debug: false
      workers: 4
  vars_files:
    - vars/common.yml
  pre_tasks:
    - name: Announce
      debug:
        msg: "Deploying {{ app_name }} on {{ inventory_hostname }}"
    - name: Make the output folder
      file:
        path: "{{ playbook_dir }}/out/{{ inventory_hostname }}"
        state: directory
        mode: "0755"
  roles:
    - role: web
      vars:
        web_port: "{{ ports[0] }}"
  tasks:
    - name: Write a config file
      copy:
        content: "workers={{ settings.workers }}\\n"
        dest: "{{ playbook_dir }}/out/{{ inventory_hostname }}/app.conf"
      notify: reload app
    - name: Template the motd
      template:
        src: motd.j2
        dest: "{{ playbook_dir }}/out/{{ inventory_hostname }}/motd"
    - name: Run a command
      command: echo {{ app_name }}
      register: echoed
      changed_when: false
    - name: Check it
      assert:
        that:
          - echoed.stdout == app_name
          - ports | length == 2
        fail_msg: "unexpected output"
    - name: Loop over ports
      debug:
        msg: "port {{ item }}"
      loop: "{{ ports }}"
      loop_control:
        label: "{{ item }}"
      when: item > 0
      tags: [ports]
    - name: Set a fact
      set_fact:
        release: "{{ app_name }}-{{ settings.workers * 2 }}"
    - import_tasks: tasks/extra.yml
    - include_tasks: tasks/extra.yml
      vars:
        extra_label: included
    - block:
        - name: Might fail
          command: /bin/false
          when: settings.debug
      rescue:
        - debug:
            msg: rescued
      always:
        - debug:
            var: release
  handlers:
    - name: reload app
      debug:
        msg: reloading {{ app_name }}
`,
  'site.yml': `- import_playbook: playbook.yml
- hosts: db
  gather_facts: no
  serial: 1
  tasks:
    - name: Retry until it works
      shell: test -e {{ playbook_dir }}/out || true
      register: probe
      until: probe.rc == 0
      retries: 2
      delay: 0
    - lineinfile:
        path: "{{ playbook_dir }}/out/db.conf"
        line: "max_connections={{ max_connections | default(100) }}"
        create: true
    - debug: msg="{{ groups['all'] | join(',') }}"
      run_once: true
      delegate_to: localhost
`,
  'roles/web/tasks/main.yml': `- name: Role task
  debug:
    msg: "web on port {{ web_port }} ({{ web_user }})"
- name: Role file
  file:
    path: "{{ playbook_dir }}/out/role-{{ inventory_hostname }}"
    state: touch
  changed_when: false
`,
  'roles/web/defaults/main.yml': `web_user: www-data
web_port: 8080
`,
  'roles/web/handlers/main.yml': `- name: restart web
  debug:
    msg: restarting
`,
  'roles/web/meta/main.yml': `dependencies:
  - role: common
`,
  'roles/common/tasks/main.yml': `- name: Common task
  set_fact:
    common_done: true
`,
  'tasks/extra.yml': `- name: Extra task
  debug:
    msg: "extra {{ extra_label | default('imported') }}"
- name: Extra stat
  stat:
    path: "{{ playbook_dir }}/playbook.yml"
  register: st
- debug:
    msg: "{{ st.stat.exists }}"
`,
  'vars/common.yml': `common_setting: 1
nested:
  list: [a, b, c]
  map: {x: 1, y: "{{ common_setting }}"}
`,
  'templates/motd.j2': `Welcome to {{ inventory_hostname }}
{% for port in ports %}
listen {{ port }}
{% endfor %}
{{ settings | to_nice_json }}
`,
  'extra.json': `{"app_name": "from-file", "ports": [8080], "max_connections": 5}
`,
  'extra.yml': `app_name: from-yaml
settings:
  workers: 2
  debug: false
`,
};

/** Inventory texts; the `file` is written beside the project. */
export const INVENTORIES: Record<string, string> = {
  'hosts.ini': `# web and db hosts, all on this machine
[web]
web1 ansible_host=127.0.0.1
web[2:3]

[db]
db1 max_connections=50

[app:children]
web
db

[app:vars]
tier=production
timeout_s=5

[all:vars]
ansible_python_interpreter=/usr/bin/python3
`,
  'hosts.yml': `all:
  vars:
    tier: staging
  children:
    web:
      hosts:
        web1:
          ansible_host: 127.0.0.1
        web2: {}
        web3:
    db:
      hosts:
        db1:
          max_connections: 20
`,
};

/** -e values, each valid on its own. */
export const EXTRA_VARS: string[] = [
  '{"app_name": "cli", "ports": [1, 2], "settings": {"workers": 8, "debug": false}}',
  'app_name=cli max_connections=7',
  'app_name="two words" extra_label=x',
  '@extra.json',
  '@extra.yml',
  '[{"not": "a dict"}]',
  '{app_name: yaml-flow, ports: [5]}',
  'settings={"workers": 3}',
];

/** Keywords whose values the wrong-type mutation replaces. */
export const KEYWORDS = [
  'hosts', 'gather_facts', 'vars', 'vars_files', 'roles', 'tasks', 'pre_tasks', 'handlers', 'name', 'when', 'loop',
  'loop_control', 'label', 'register', 'changed_when', 'failed_when', 'until', 'retries', 'delay', 'notify', 'tags',
  'block', 'rescue', 'always', 'become', 'ignore_errors', 'no_log', 'serial', 'run_once', 'delegate_to', 'that',
  'msg', 'var', 'path', 'state', 'mode', 'dest', 'src', 'content', 'line', 'create', 'import_tasks', 'include_tasks',
  'import_playbook', 'dependencies', 'role', 'environment', 'args', 'check_mode', 'any_errors_fatal', 'strategy',
];
