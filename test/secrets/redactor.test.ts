import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scrubbingIo, type Io } from '../../src/cli/output.js';
import { parseSpecFile } from '../../src/load/parse-spec-file.js';
import { builtinRegistry } from '../../src/plugins/builtin.js';
import { MASK, Redactor } from '../../src/secrets/redactor.js';
import { decodeBase64Text, secretForms } from '../../src/secrets/secret-forms.js';
import { registerSecrets } from '../../src/secrets/register-secrets.js';
import { specSecrets } from '../../src/secrets/spec-secrets.js';
import { compile } from '../../src/compile.js';

describe('secretForms', () => {
  it('has the value as base64, and escaped as JSON, Go and YAML write it', () => {
    const v = 'a"b\\c\nd\te';
    const forms = secretForms(v);
    expect(forms).toContain(v);
    expect(forms).toContain(Buffer.from(v).toString('base64'));
    expect(forms).toContain('a\\"b\\\\c\\nd\\te');
    // each line of a multi-line value
    expect(forms).toContain('a"b\\c');
    expect(forms).toContain('d\te');
  });

  it('escapes as Go does where JSON differs', () => {
    expect(secretForms('x\x07\x0by\x7f')).toContain('x\\a\\vy\\x7f');
    expect(secretForms('x\x07\x0by\x7f')).toContain('x\\u0007\\u000by\x7f');
  });

  it('decodes base64 only when it is text', () => {
    expect(decodeBase64Text(Buffer.from('hunter2').toString('base64'))).toBe('hunter2');
    expect(decodeBase64Text(Buffer.from([0xff, 0xfe, 0x00]).toString('base64'))).toBeUndefined();
    expect(decodeBase64Text('not base64!')).toBeUndefined();
  });
});

describe('Redactor', () => {
  it('masks every form of a value in text, one mask per run', () => {
    const r = new Redactor().addAll(['correct-horse', 'pa"ss\\word']);
    expect(r.scrub('user correct-horse; token Y29ycmVjdC1ob3JzZQ== and "pa\\"ss\\\\word"')).toBe(`user ${MASK}; token ${MASK} and "${MASK}"`);
    expect(r.scrub('nothing here')).toBe('nothing here');
  });

  it('masks a truncated prefix and a piece of a long value', () => {
    const key = '-----BEGIN KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END KEY-----';
    const r = new Redactor().addAll([key]);
    expect(r.scrub('Invalid value: "-----BEGIN KEY-----\\nMIIEvQIBAD…"')).toBe(`Invalid value: "${MASK}…"`);
    expect(r.scrub('saw MIIEvQIBADANBg in it')).toBe(`saw ${MASK} in it`);
  });

  it("leaves short values to the places that print them, and to others' messages where they stand quoted or alone", () => {
    const r = new Redactor().addAll(['ab', 'x y']);
    expect(r.scrub('a table of "ab"')).toBe('a table of "ab"');
    expect(r.scrubForeign('Invalid value: "ab": a table, and x y here')).toBe(`Invalid value: "${MASK}": a table, and ${MASK} here`);
    expect(r.scrubForeign('tabby cabbage')).toBe('tabby cabbage');
  });

  it('never shows a value of 4 characters or more, whatever it is made of (property)', () => {
    const unit = fc.oneof(fc.constantFrom('"', "'", '\\', '\n', ' ', 'é', '🔑', '\u0000'), fc.string({ minLength: 1, maxLength: 1, unit: 'grapheme' }));
    fc.assert(
      fc.property(fc.string({ unit, minLength: 4, maxLength: 30 }), fc.string(), fc.string(), (value, before, after) => {
        const r = new Redactor().addAll([value]);
        for (const form of secretForms(value).filter((f) => f.length >= 4)) {
          const out = r.scrub(`${before}${form}${after}`);
          expect(out).not.toContain(form);
        }
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe('scrubbingIo', () => {
  it('scrubs stdout and stderr of what is registered later, and leaves the product alone', () => {
    const got: string[] = [];
    const raw: Io = { stdout: (s) => void got.push(`out:${s}`), stderr: (s) => void got.push(`err:${s}`), color: false };
    const redactor = new Redactor();
    const io = scrubbingIo(raw, redactor);
    io.stdout('before hunter2-x\n');
    io.secrets!.add('hunter2-x');
    io.stdout('after hunter2-x\n');
    io.stderr('err hunter2-x\n');
    io.product!('data: hunter2-x\n');
    expect(got).toEqual(['out:before hunter2-x\n', `out:after ${MASK}\n`, `err:err ${MASK}\n`, 'out:data: hunter2-x\n']);
  });
});

describe('specSecrets', () => {
  const parse = (text: string) => parseSpecFile({ path: 'kubemin.yaml', text });
  const head = 'apiVersion: kubemin.dev/v1alpha1\nkind: Application\nmetadata: {name: a}\nspec:\n  components:\n';

  it('finds the values of secret fields, and where they are written', () => {
    const text = `${head}    - name: s\n      type: secret\n      stringData: {password: "pw-1234", user: app}\n`;
    const found = specSecrets(parse(text), builtinRegistry);
    expect(found.values.sort()).toEqual(['app', 'pw-1234']);
    expect(found.ranges.map(([a, b]) => text.slice(a, b)).sort()).toEqual(['"pw-1234"', 'app']);
  });

  it('reads a broken file with the tolerant parser: an unterminated quote, a duplicate key', () => {
    const broken = `${head}    - name: s\n      type: secret\n      stringData:\n        password: "pw-1234\n        other: pw-5678\n`;
    const unclosed = specSecrets(parse(broken), builtinRegistry);
    // The value as far as its line goes is the secret; the lines read into it are masked in frames.
    expect(unclosed.values).toEqual(['pw-1234']);
    expect(unclosed.ranges.map(([a, b]) => broken.slice(a, b))).toEqual(['"pw-1234\n        other: pw-5678\n']);
    const twice = `${head}    - name: s\n      type: secret\n      stringData:\n        password: pw-1234\n        password: pw-5678\n`;
    const found = specSecrets(parse(twice), builtinRegistry);
    expect(found.ranges.map(([a, b]) => twice.slice(a, b)).sort()).toEqual(['pw-1234', 'pw-5678']);
  });

  it("leaves out a value the spec also writes in the open (the app's name, a path part): masking it would hide every name holding it", () => {
    const text = `apiVersion: kubemin.dev/v1alpha1\nkind: Application\nmetadata: {name: shop}\nspec:\n  components:\n    - name: s\n      type: secret\n      stringData: {user: shop, dir: apps, password: pw-1234}\n`;
    const found = specSecrets(parseSpecFile({ path: 'apps/kubemin.yaml', text }), builtinRegistry);
    expect(found.values).toEqual(['pw-1234']);
    // Still masked where it is written.
    expect(found.ranges.map(([a, b]) => text.slice(a, b)).sort()).toEqual(['apps', 'pw-1234', 'shop']);
  });

  it('takes a component of an unknown type as a secret where any type has secret fields (a misspelled type)', () => {
    const text = `${head}    - name: s\n      type: secrte\n      stringData: {password: pw-1234}\n      data: {key: dmFsdWU=}\n`;
    expect(specSecrets(parse(text), builtinRegistry).values.sort()).toEqual(['dmFsdWU=', 'pw-1234']);
  });
});

describe('registerSecrets', () => {
  it("registers the values of the Secrets rendered, but for those the objects show in the open; a spec's secret stays registered wherever it shows", () => {
    const text = `apiVersion: kubemin.dev/v1alpha1\nkind: Application\nmetadata: {name: a, namespace: team}\nspec:\n  components:\n    - name: s\n      type: secret\n      stringData: {ns: team, password: pw-1234}\n`;
    const compiled = compile([{ path: 'kubemin.yaml', text }]);
    expect(compiled.apps).toHaveLength(1);
    const got: string[] = [];
    registerSecrets({ add: (v) => void got.push(v) }, compiled.secrets, compiled.apps);
    expect([...new Set(got)].sort()).toEqual(['pw-1234']);
    const spec: string[] = [];
    registerSecrets({ add: (v) => void spec.push(v) }, ['team'], compiled.apps);
    expect(spec).toContain('team');
  });
});
