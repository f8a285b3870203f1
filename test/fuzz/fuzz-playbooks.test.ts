// Fuzz: mutated playbooks and project files (roles, tasks files, vars files, templates)
// through the command line. See fuzz-suite.ts.
import { describe } from 'vitest';
import { fuzzTests } from './fuzz-suite.js';

describe('fuzz: malformed playbooks and project files through the command line', () => {
  fuzzTests(['playbook', 'project-file'], 24);
});
