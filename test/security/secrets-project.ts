// The project the secrets test runs: every secret a real deploy carries, and every way a
// playbook uses one.
//   - a vars file encrypted whole (vars_files) and an inline `!vault` play variable;
//   - no_log tasks of every kind: debug (msg and var), command, a failing command, fail,
//     a loop (items ok and failing), until/retries, template (run with --diff), skipped,
//     set_fact, assert, a no_log block, an undefined variable next to a secret;
//   - a template of a secret with `diff: false` (how the config-db role protects it);
//   - become over SSH: the deploy user's sudo password from an inline-vault host
//     variable, a module option that is no_log in its spec (user password), a wrong
//     become password from the vault;
//   - an AWS secret key from the vault, given to an AWS module whose endpoint does not
//     answer (its spec marks the key no_log; the failure must not show it).
// Secrets are random per run, so that nothing else in an output can match them.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface Secrets {
  vaultPassword: string;
  /** In the whole-file encrypted vars file. */
  dbPassword: string;
  /** An inline `!vault` play variable. */
  apiToken: string;
  /** The deploy user's sudo password (inline `!vault` host variable). */
  becomePassword: string;
  /** A wrong sudo password, from the vault too. */
  wrongBecomePassword: string;
  /** The AWS secret access key (in the encrypted vars file). */
  awsSecretKey: string;
}

export function newSecrets(): Secrets {
  const token = () => randomBytes(9).toString('hex');
  return {
    vaultPassword: `vault-pw-${token()}`,
    dbPassword: `DbPassword${token()}`,
    apiToken: `ApiToken${token()}`,
    becomePassword: `Sudo-${token()}`,
    wrongBecomePassword: `WrongSudo${token()}`,
    awsSecretKey: `AwsSecret${token()}${token()}`.slice(0, 40),
  };
}

export interface TargetHost {
  address: string;
  port: number;
  keyFile: string;
  knownHostsFile: string;
}

function vault(args: string[], input: string | undefined, cwd: string): string {
  const result = spawnSync('ansible-vault', args, { cwd, input, encoding: 'utf8', env: { ...process.env, ANSIBLE_NOCOLOR: '1' } });
  if (result.status !== 0) throw new Error(`ansible-vault ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

/** `name: !vault |` with the value encrypted by ansible-vault, indented for a mapping. */
function inlineVault(name: string, value: string, indent: string, cwd: string): string {
  const text = vault(['encrypt_string', '--vault-password-file', 'vault-pass.txt', '--name', name, value], undefined, cwd);
  return `${text.trimEnd().split('\n').map((line) => `${indent}${line}`).join('\n')}\n`;
}

const MAIN_PLAYBOOK = (apiTokenVar: string) => `- name: Secrets on the controller
  hosts: localhost
  gather_facts: false
  vars_files:
    - secrets.yml
  vars:
${apiTokenVar}  tasks:
    - name: debug a vault value
      debug:
        msg: "the database password is {{ vault_db_password }}"
      no_log: true
    - name: debug var of a vault value
      debug:
        var: api_token
      no_log: true
    - name: command with a vault value
      command: echo {{ api_token }}
      no_log: true
    - name: failing command with a vault value
      shell: echo {{ vault_db_password }} >&2; echo {{ api_token }}; exit 3
      no_log: true
      ignore_errors: true
    - name: fail with a vault value
      fail:
        msg: "{{ vault_db_password }}"
      no_log: true
      ignore_errors: true
    - name: loop over vault values
      debug:
        msg: "{{ item }}"
      loop:
        - "{{ vault_db_password }}"
        - "{{ api_token }}"
      no_log: true
    - name: loop with a failing item
      command: test {{ item }} = something-else
      loop:
        - "{{ api_token }}"
      no_log: true
      ignore_errors: true
    - name: retries with a vault value
      command: echo {{ vault_db_password }}
      register: probe
      until: probe.stdout == 'never'
      retries: 2
      delay: 0
      no_log: true
      ignore_errors: true
    - name: template a vault value under no_log
      template:
        src: database.yml.j2
        dest: "{{ playbook_dir }}/out/database.yml"
        mode: "0600"
      no_log: true
    - name: template a vault value without its diff
      template:
        src: database.yml.j2
        dest: "{{ playbook_dir }}/out/database-copy.yml"
        mode: "0600"
      diff: false
    - name: skipped with a vault value
      debug:
        msg: "{{ vault_db_password }}"
      when: api_token == 'not this one'
      no_log: true
    - name: a condition on a vault value
      debug:
        msg: token checked
      when: api_token | length > 5
    - name: set_fact from a vault value
      set_fact:
        derived_secret: "{{ vault_db_password }}-derived"
      no_log: true
    - name: assert on a vault value
      assert:
        that: derived_secret == 'something else'
      no_log: true
      ignore_errors: true
    - name: a no_log block
      no_log: true
      block:
        - name: in the block
          debug:
            msg: "{{ vault_db_password }}"
    - name: an undefined variable next to a vault value
      debug:
        msg: "{{ vault_db_password }} {{ not_defined_anywhere }}"
      no_log: true
      ignore_errors: true

- name: Become over SSH with a password from the vault
  hosts: target
  gather_facts: false
  become: true
  vars_files:
    - secrets.yml
  tasks:
    - name: who sudo makes us
      command: id -un
      register: whoami
      changed_when: false
    - name: show it
      debug:
        var: whoami.stdout
    - name: a user whose password option is no_log in the module
      user:
        name: appuser
        password: "{{ vault_db_password }}"
    - name: a no_log command through sudo
      command: echo {{ vault_db_password }}
      no_log: true
    - name: sudo with a wrong password from the vault
      command: id -un
      vars:
        ansible_become_password: "{{ vault_wrong_become_password }}"
      ignore_errors: true
`;

const AWS_PLAYBOOK = `- name: AWS with a secret key from the vault
  hosts: localhost
  gather_facts: false
  vars_files:
    - secrets.yml
  tasks:
    - name: list instances at an endpoint that does not answer
      amazon.aws.ec2_instance_info:
        region: us-east-1
        aws_access_key: AKIAIOSFODNN7EXAMPLE
        aws_secret_key: "{{ vault_aws_secret_key }}"
        endpoint_url: http://127.0.0.1:9
`;

const CONNECTION_FILE_PLAYBOOK = `- name: Log in with the password from --connection-password-file
  hosts: target_by_password
  gather_facts: false
  tasks:
    - name: who we logged in as
      command: id -un
      register: whoami
      changed_when: false
    - name: show it
      debug:
        var: whoami.stdout
`;

const BECOME_FILE_PLAYBOOK = `- name: Become with the password from --become-password-file
  hosts: target_without_password
  gather_facts: false
  become: true
  tasks:
    - name: who sudo makes us
      command: id -un
      register: whoami
      changed_when: false
    - name: show it
      debug:
        var: whoami.stdout
`;

/**
 * Writes the project into `dir`: site.yml (main.yml, then aws.yml), main.yml (what
 * ansible-playbook runs too: it needs no collection), become-file.yml (no become password
 * variable: the password comes from a password file: become-pass.txt, the script
 * become-pass.sh, or become_password_file in become-file.cfg), connection-file.yml (a host
 * with no key: the login password comes from --connection-password-file connection-pass.txt).
 */
export function writeProject(dir: string, secrets: Secrets, target: TargetHost): void {
  const write = (name: string, text: string) => {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  };
  write('vault-pass.txt', `${secrets.vaultPassword}\n`);
  write('become-pass.txt', `${secrets.becomePassword}\n`);
  write('become-pass.sh', `#!/bin/sh\nprintf '%s\\n' '${secrets.becomePassword}'\n`);
  chmodSync(join(dir, 'become-pass.sh'), 0o700);
  write('become-file.cfg', '[defaults]\nbecome_password_file = become-pass.txt\n');
  // The deploy user logs in with the same password sudo asks for.
  write('connection-pass.txt', `${secrets.becomePassword}\n`);
  write(
    'secrets.yml',
    `vault_db_password: ${secrets.dbPassword}\nvault_wrong_become_password: ${secrets.wrongBecomePassword}\nvault_aws_secret_key: ${secrets.awsSecretKey}\n`,
  );
  vault(['encrypt', '--vault-password-file', 'vault-pass.txt', 'secrets.yml'], undefined, dir);
  write('host_vars/target.yml', inlineVault('ansible_become_password', secrets.becomePassword, '', dir));
  write('main.yml', MAIN_PLAYBOOK(inlineVault('api_token', secrets.apiToken, '    ', dir)));
  write('aws.yml', AWS_PLAYBOOK);
  write('site.yml', '- import_playbook: main.yml\n- import_playbook: aws.yml\n');
  write('become-file.yml', BECOME_FILE_PLAYBOOK);
  write('connection-file.yml', CONNECTION_FILE_PLAYBOOK);
  write('templates/database.yml.j2', 'production:\n  adapter: postgresql\n  password: {{ vault_db_password }}\n');
  mkdirSync(join(dir, 'out'), { recursive: true });
  const common = `-o UserKnownHostsFile=${target.knownHostsFile} -o StrictHostKeyChecking=yes`;
  const ssh = `ansible_host=${target.address} ansible_port=${target.port} ansible_user=deploy ansible_ssh_private_key_file=${target.keyFile} ansible_ssh_common_args='${common}'`;
  // No key (the controller's HOME has none, and no agent): only a password logs in.
  const byPassword = `ansible_host=${target.address} ansible_port=${target.port} ansible_user=deploy ansible_ssh_common_args='${common}'`;
  // `target` has its become password in host_vars; `target_without_password` (the same machine) has none.
  write(
    'inventory',
    `localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\ntarget ${ssh}\ntarget_without_password ${ssh}\ntarget_by_password ${byPassword}\n`,
  );
}
