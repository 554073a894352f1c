import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinRegistry } from '../src/registry.js';
import { KIND_ORDER } from '../src/plan/kind-order.js';
import { REPO } from './helpers/tree.js';

/** The README is the reference of the spec format: it must name what the tables hold. */
describe('README', () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const flat = readme.replace(/\s+/g, ' ');

  it('gives the two set-up commands', () => {
    expect(readme).toContain('npm install && npx kubemin render examples --out rendered');
    expect(readme).toMatch(/```sh\nnpm test\n```/);
    expect(readFileSync(join(REPO, '.ci/run'), 'utf8')).toMatch(/\nnpm test\n$/);
  });

  it('documents every component type, trait and step type', () => {
    for (const name of builtinRegistry.componentTypes.keys()) expect(readme).toContain(`| \`${name}\` |`);
    for (const t of builtinRegistry.traits) expect(readme).toContain(`| \`${t.name}\` |`);
    for (const name of builtinRegistry.stepTypes.keys()) expect(readme).toContain(`type (${name})`);
  });

  it('documents every validation rule and every command', () => {
    for (const r of builtinRegistry.rules) expect(flat).toContain(r.name.replace(/-/g, ' '));
    for (const cmd of ['validate', 'render', 'plan', 'diff', 'schema']) expect(readme).toContain(`\`kubemin ${cmd}`);
  });

  it('lists the kind order as the code has it', () => {
    const listed = KIND_ORDER.filter((k) => !k.endsWith('WebhookConfiguration') && k !== 'APIService');
    expect(flat).toContain(listed.join(', '));
  });
});
