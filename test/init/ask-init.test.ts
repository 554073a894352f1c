import { describe, expect, it } from 'vitest';
import { askInit } from '../../src/init/ask-init.js';
import { acceptAnswer, formatQuestion, InitCancelled, resolveChoice } from '../../src/init/ask.js';
import { builtinRegistry as registry } from '../../src/plugins/builtin.js';
import { scriptedAsk } from './scripted-ask.js';

describe('askInit', () => {
  it('asks for the app, then components until an empty name, re-asking invalid answers with the reason', async () => {
    const ask = scriptedAsk([
      'Shop', // refused: uppercase
      'shop',
      '', // namespace: the name
      '', // create it: yes
      'web_1', // refused: '_'
      'web',
      '', // type: webservice
      'ghcr.io/acme/shop:1.4.0',
      '', // port: 8080
      'web', // refused: taken
      'db',
      'st', // the unique prefix of store
      'Redis:7', // refused: uppercase
      'redis:7',
      '70000', // refused
      '6379',
      '', // done
      '', // parallel: 0
    ]);
    const answers = await askInit(ask, { registry, defaultName: 'my-dir' });
    expect(ask.left()).toBe(0);
    expect(ask.asked.filter((q) => q.reason).map((q) => [q.question, q.typed, q.reason])).toEqual([
      ['Application name', 'Shop', expect.stringContaining('it has uppercase letters (try "shop")')],
      ['Component 1 name', 'web_1', expect.stringContaining("it contains '_'")],
      ['Component 2 name (empty: done)', 'web', 'there is already a component named "web"'],
      ['Image of db', 'Redis:7', expect.stringContaining('the repository has uppercase letters (try "redis:7")')],
      ['Port of db', '70000', '"70000" must be a port number from 1 to 65535'],
    ]);
    expect(answers).toEqual({
      name: 'shop',
      namespace: 'shop',
      createNamespace: true,
      components: [
        { name: 'web', type: 'webservice', image: 'ghcr.io/acme/shop:1.4.0', port: 8080 },
        { name: 'db', type: 'store', image: 'redis:7', port: 6379 },
      ],
      parallelLast: 0,
    });
  });

  it('returns the answers, with the defaults offered', async () => {
    const ask = scriptedAsk([
      '', // application name: the directory's
      'apps',
      'n',
      '', // component 1: the app name
      '2', // the second type: worker
      'ghcr.io/acme/my-dir:1',
      'nightly',
      'cronjob',
      '', // image: the previous one
      'not a schedule',
      '0 3 * * *',
      'settings',
      'config',
      'cache',
      'store',
      'redis:7.2',
      '6379',
      '', // done
      '9', // refused: there are 4
      '2',
    ]);
    const answers = await askInit(ask, { registry, defaultName: 'my-dir' });
    expect(answers).toEqual({
      name: 'my-dir',
      namespace: 'apps',
      createNamespace: false,
      components: [
        { name: 'my-dir', type: 'worker', image: 'ghcr.io/acme/my-dir:1' },
        { name: 'nightly', type: 'cronjob', image: 'ghcr.io/acme/my-dir:1', schedule: '0 3 * * *' },
        { name: 'settings', type: 'config' },
        { name: 'cache', type: 'store', image: 'redis:7.2', port: 6379 },
      ],
      parallelLast: 2,
    });
    expect(ask.left()).toBe(0);
    const questions = ask.asked.map((q) => formatQuestion(q.question, q.opts));
    expect(questions.slice(0, 5)).toEqual([
      'Application name [my-dir]: ',
      'Namespace [my-dir]: ',
      'Create the namespace apps? (yes, no) [yes]: ',
      'Component 1 name [my-dir]: ',
      'Type of my-dir (webservice, worker, store, job, cronjob, config, secret) [webservice]: ',
    ]);
    expect(questions).toContain('Image of nightly [ghcr.io/acme/my-dir:1]: ');
    expect(questions).toContain('Schedule of nightly (cron, e.g. "0 3 * * *") [@daily]: ');
    expect(questions).toContain('Port of cache [8080]: ');
    expect(questions.at(-1)).toBe('How many of the last components deploy together, in parallel (0: each after the one before) [0]: ');
    // The types are described once, at the first component.
    const helps = ask.asked.map((q) => q.opts.help).filter(Boolean);
    expect(new Set(helps).size).toBe(1);
    expect(helps[0]).toMatch(/^Component types:\n  webservice  A long-running service: a Deployment, and a Service when it has ports\.\n  worker      /);
    expect(helps[0]).toContain('\n  store       Stateful service (database, cache)\n');
    expect(ask.asked.find((q) => q.typed === 'not a schedule')?.reason).toMatch(/expected 5 fields/);
  });

  it('a name too long for the chosen type is asked again', async () => {
    const long = 'a'.repeat(60);
    const ask = scriptedAsk(['app', '', 'no', long, 'store', long, 'data', 'redis:7', '', '']);
    const answers = await askInit(ask, { registry });
    expect(answers.components).toEqual([{ name: 'data', type: 'store', image: 'redis:7', port: 8080 }]);
    expect(ask.asked.slice(5, 7).map((q) => [q.question, q.reason])).toEqual([
      ['A store name may have at most 52 characters: name of component 1', `a store name may have at most 52 characters; "${long}" has 60`],
      ['A store name may have at most 52 characters: name of component 1', undefined],
    ]);
  });

  it('answers given as flags are not asked', async () => {
    const ask = scriptedAsk(['yes']);
    const answers = await askInit(ask, {
      registry,
      given: { name: 'shop', namespace: 'shop-prod', components: [{ name: 'web', type: 'webservice', image: 'nginx', port: 80 }] },
    });
    expect(ask.asked.map((q) => q.question)).toEqual(['Create the namespace shop-prod?']);
    expect(answers).toEqual({
      name: 'shop',
      namespace: 'shop-prod',
      createNamespace: true,
      components: [{ name: 'web', type: 'webservice', image: 'nginx', port: 80 }],
      parallelLast: 0,
    });
  });

  it('the default namespace is not created unless asked', async () => {
    const ask = scriptedAsk(['', '']);
    const answers = await askInit(ask, { registry, given: { name: 'a', namespace: 'default', components: [{ name: 'c', type: 'config' }] } });
    expect(formatQuestion(ask.asked[0]!.question, ask.asked[0]!.opts)).toBe('Create the namespace default? (yes, no) [no]: ');
    expect(answers.createNamespace).toBe(false);
  });

  it('a cancelled question ends the flow', async () => {
    const ask = scriptedAsk(['shop', new InitCancelled('interrupt')]);
    await expect(askInit(ask, { registry })).rejects.toThrow(InitCancelled);
  });
});

describe('acceptAnswer', () => {
  it('trims, applies the default, resolves choices by name, number or unique prefix, validates', () => {
    expect(acceptAnswer('  web ')).toEqual({ ok: true, value: 'web' });
    expect(acceptAnswer('', { default: 'x' })).toEqual({ ok: true, value: 'x' });
    const choices = ['webservice', 'worker', 'store'];
    expect(resolveChoice('STORE', choices)).toBe('store');
    expect(resolveChoice('2', choices)).toBe('worker');
    expect(resolveChoice('4', choices)).toBeUndefined();
    expect(resolveChoice('we', choices)).toBe('webservice');
    expect(resolveChoice('w', choices)).toBeUndefined();
    expect(acceptAnswer('w', { choices })).toEqual({ ok: false, reason: 'choose one of webservice, worker, store (or its number)' });
    expect(acceptAnswer('', { validate: (v) => (v ? undefined : 'say something') })).toEqual({ ok: false, reason: 'say something' });
  });
});
