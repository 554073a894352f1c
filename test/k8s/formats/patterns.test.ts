import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FORMAT_PATTERNS } from '../../../src/k8s/formats/patterns.js';
import { FORMATS } from '../../../src/validate/formats.js';

/**
 * The editor schema's `pattern`s stand in for kubemin's formats in yaml-language-server. Each must
 * accept every value its format accepts (else the editor shows an error the CLI does not), and an
 * exact one must refuse every value its format refuses. Checked on hand-picked values both ways
 * and on generated ones: random strings over the format's characters, and accepted values with a
 * character inserted, removed or replaced (near-misses, the values that tell a pattern apart).
 */
interface Case {
  /** Characters the generated strings are made of. */
  readonly chars: string;
  readonly maxLength: number;
  readonly accepted: readonly string[];
  readonly refused: readonly string[];
}

const long = (n: number, c = 'a'): string => c.repeat(n);

const CASES: Record<string, Case> = {
  'dns-label': {
    chars: 'az09-.A_ ',
    maxLength: 66,
    accepted: ['a', 'web', 'a-b', '0', '9to5', long(63)],
    refused: ['', '-a', 'a-', 'Web', 'a.b', 'a_b', long(64), 'a\n'],
  },
  'dns-1035-label': { chars: 'az09-A.', maxLength: 66, accepted: ['a', 'web-1', long(63)], refused: ['', '1web', 'a-', 'Web', long(64)] },
  'dns-subdomain': {
    chars: 'az09-.A',
    maxLength: 256,
    accepted: ['a', 'a.b', 'shop.example.com', `${long(63)}.${long(63)}.${long(63)}.${long(61)}`, long(100)],
    refused: ['', '.a', 'a.', 'a..b', 'a.-b', 'A.b', `${long(63)}.${long(63)}.${long(63)}.${long(62)}`],
  },
  'label-key': {
    chars: 'aZ09-._/',
    maxLength: 70,
    accepted: ['app', 'app.kubernetes.io/name', 'A_b.c', 'x/Y', `${long(253)}/${long(63)}`],
    refused: ['', '/a', 'a/', 'a/b/c', '_a', 'a_', 'Example.com/a', long(64), `${long(254)}/a`, `a/${long(64)}`],
  },
  'label-value': { chars: 'aZ09-._/ ', maxLength: 66, accepted: ['', 'v1', 'a.b_c-D', long(63)], refused: ['-a', 'a-', 'a/b', 'a b', long(64)] },
  'annotation-key': {
    chars: 'aZ09-._/\u212A',
    maxLength: 70,
    accepted: ['note', 'Example.com/Note', 'example.com/note', '\u212Aey', 'a.b/C'],
    refused: ['', 'a/b/c', '/a', '-a', 'ex_ample.com/a', `a/${long(64)}`],
  },
  'config-key': {
    chars: 'aZ09-._/ ',
    maxLength: 256,
    accepted: ['a', '.env', 'app.properties', 'A_b-9', '.a.', long(253)],
    refused: ['', '.', '..', '..a', 'a/b', 'a b', long(254)],
  },
  'port-name': {
    chars: 'az09-A',
    maxLength: 18,
    accepted: ['http', 'h2c', 'metrics-1', 'a', long(15)],
    refused: ['', '80', '-http', 'http-', 'a--b', 'Http', long(16)],
  },
  'env-name': {
    chars: 'aZ09_= ~\u007f\u00e9',
    maxLength: 12,
    accepted: ['A', 'MY_VAR', 'a.b-c', ' ', '~'],
    refused: ['', 'A=B', 'caf\u00e9', 'a\tb', '\u007f'],
  },
  'env-field-path': {
    chars: "metadalbsn.[]'/xk",
    maxLength: 40,
    accepted: [
      'metadata.name',
      'status.podIPs',
      "metadata.labels['app']",
      "metadata.labels['app.kubernetes.io/name']",
      "metadata.annotations['Example.com/Note']",
    ],
    refused: ['', 'metadata.labels', "metadata.labels['']", "metadata.labels['Example.com/a']", 'spec.containers', "metadata.labels['a/b/c']"],
  },
  'http-header-name': { chars: 'aZ09-_ ', maxLength: 10, accepted: ['X-Request-Id', 'a', '0'], refused: ['', 'X_Id', 'a b', 'a:'] },
  'absolute-path': {
    chars: 'a/.\u0000 ',
    maxLength: 12,
    accepted: ['/', '/data', '/a/..b/c', '/a/.', '/...', '/a b'],
    refused: ['', 'data', '/..', '/a/../b', '/a/..', '/a\u0000'],
  },
  'relative-path': { chars: 'a/. ', maxLength: 12, accepted: ['a', 'a/b', '..a', 'a/..b', '.', 'a/'], refused: ['', '/a', '..', '../a', 'a/..', 'a/../b'] },
  'ingress-path': {
    chars: 'a/.%2fF',
    maxLength: 12,
    accepted: ['/', '/api', '/a.b', '/a/', '/%2e', '/..a'],
    refused: ['', 'api', '//', '/a//b', '/./', '/a/../b', '/a%2Fb', '/a%2fb', '/.', '/a/..'],
  },
  'hostname-wildcard': {
    chars: 'a09.-*:',
    maxLength: 20,
    accepted: ['shop.example.com', '*.example.com', 'localhost', '1.2.3.256', '1.2.3', '*.1.2.3.4', '0000300.1.1.1'],
    refused: ['', '1.2.3.4', '001.2.3.4', '*', '*.', 'a.*.com', '**.a', 'Shop.com', '::1', long(254)],
  },
  image: {
    chars: 'a:/.@ \t\u0000\u00a0\u0085',
    maxLength: 10,
    accepted: ['nginx', 'ghcr.io/acme/shop:1.4.0', 'a@sha256:0'],
    refused: ['', ' ', ' nginx', 'nginx ', 'ng inx', 'a\u0000', 'a\u00a0', 'a\u0085'],
  },
  quantity: {
    chars: '0159.+-eEKkMmGiun ',
    maxLength: 8,
    accepted: ['1', '-1', '250m', '1.5Gi', '.5', '1.', '1e3', '+1E-3', '0'],
    refused: ['', 'Gi', '.', '1GB', '1 Gi', '1e', '1e3k', 'e3'],
  },
  'resource-quantity': {
    chars: '0159.+-eEKkMmGiun',
    maxLength: 8,
    accepted: ['0', '-0', '-0.0m', '250m', '1Gi', '+1', '1e-9'],
    refused: ['', '-1', '-0.5', '-1e3', '1GB', 'm'],
  },
  size: {
    chars: '0159.+-eEKkMmGi',
    maxLength: 8,
    accepted: ['1Gi', '500Mi', '0.5', '1e-3', '+1', '1'],
    refused: ['', '0', '0Gi', '-1Gi', '0.0', '-0', '0e5', '1GB'],
  },
  'resource-name': {
    chars: 'acgpu/.-hmeory1Mi',
    maxLength: 20,
    accepted: ['cpu', 'memory', 'ephemeral-storage', 'hugepages-2Mi', 'hugepages-1Gi', 'nvidia.com/gpu', 'example.com/A_b'],
    refused: [
      '',
      'gpu',
      'CPU',
      'hugepages-0',
      'hugepages-',
      'kubernetes.io/gpu',
      'a.kubernetes.io/gpu',
      'requests.a/b',
      'a/b/c',
      'Nvidia.com/gpu',
      'hugepages-x/y',
    ],
  },
  duration: {
    chars: '0159.+-hmsun ',
    maxLength: 8,
    accepted: ['1s', '90s', '5m', '1h30m', '500ms', '1.5h', '+5m', '.5s'],
    refused: ['', '0', '0s', '5', '-5m', '5 m', '1d', '5M', 'ms', '1us', '5x'],
  },
  cron: {
    chars: '0159*/-,? \tLSUNmonTZ@',
    maxLength: 20,
    accepted: ['0 3 * * *', '*/5 * * * *', '@daily', '@every 1h30m', '@every 0', ' 0  3 * *\t* ', '0 0 1 jan MON', '1,,2 * * * *'],
    refused: ['', '@Daily', ' @daily', '0 3 * *', '0 3 * * * *', 'TZ=UTC 0 3 * * *', '0 3 * * * TZ', '@every', '@every 5x', 'every day'],
  },
  'time-zone': {
    chars: 'EuropeBrlin/UTCc',
    maxLength: 16,
    accepted: ['UTC', 'Europe/Berlin', 'America/Port-au-Prince', 'Etc/GMT+2', 'America/Argentina/Buenos_Aires'],
    refused: ['', 'utc', 'europe/berlin', 'Local', '+02:00', 'PST', 'US/Pacific-New', 'Europe/Berlin2'],
  },
  'linux-capability': {
    chars: 'NET_ADMINBCS',
    maxLength: 16,
    accepted: ['ALL', 'NET_ADMIN', 'NET_BIND_SERVICE', 'SYS_TIME'],
    refused: ['', 'all', 'CAP_NET_ADMIN', 'net_admin', 'NET'],
  },
};

/** Each accepted value with one character inserted, removed or replaced by one of `chars`. */
function nearMisses(c: Case): fc.Arbitrary<string> {
  const seeds = c.accepted.filter((s) => s !== '');
  const char = fc.constantFrom(...Array.from(c.chars));
  return fc.constantFrom(...seeds).chain((s) =>
    fc.tuple(fc.nat({ max: s.length }), char, fc.constantFrom('insert', 'remove', 'replace')).map(([i, ch, op]) => {
      if (op === 'insert') return s.slice(0, i) + ch + s.slice(i);
      if (op === 'remove') return s.slice(0, i) + s.slice(i + 1);
      return s.slice(0, i) + ch + s.slice(i + 1);
    }),
  );
}

function strings(c: Case): fc.Arbitrary<string> {
  return fc.oneof(fc.string({ unit: fc.constantFrom(...Array.from(c.chars)), maxLength: c.maxLength }), nearMisses(c), fc.string({ maxLength: 8 }));
}

describe('the patterns editors see', () => {
  it('every format of the schema has a pattern, and every pattern a format', () => {
    expect(Object.keys(FORMAT_PATTERNS).sort()).toEqual(Object.keys(FORMATS).sort());
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(FORMATS).sort());
  });

  for (const [name, c] of Object.entries(CASES)) {
    describe(name, () => {
      const check = FORMATS[name]!;
      const { pattern, exact } = FORMAT_PATTERNS[name]!;
      const unicode = new RegExp(pattern, 'u');
      const plain = new RegExp(pattern);
      const matches = (s: string): boolean => unicode.test(s);

      it('compiles with and without the u flag, and both agree', () => {
        for (const s of [...c.accepted, ...c.refused]) expect(plain.test(s), s).toBe(unicode.test(s));
      });

      it('accepts the values the format accepts', () => {
        for (const s of c.accepted) {
          expect(check(s), JSON.stringify(s)).toBeUndefined();
          expect(matches(s), JSON.stringify(s)).toBe(true);
        }
      });

      it('refuses the values the format refuses', () => {
        for (const s of c.refused) {
          expect(check(s), JSON.stringify(s)).toBeDefined();
          expect(matches(s), JSON.stringify(s)).toBe(false);
        }
      });

      it(exact ? 'agrees with the format on generated values' : 'accepts every generated value the format accepts', () => {
        const seen = { accepted: 0, refused: 0 };
        fc.assert(
          fc.property(strings(c), (s) => {
            const ok = check(s) === undefined;
            seen[ok ? 'accepted' : 'refused']++;
            if (ok) expect(matches(s), JSON.stringify(s)).toBe(true);
            else if (exact) expect(matches(s), JSON.stringify(s)).toBe(false);
          }),
          { numRuns: 600 },
        );
        // Not vacuous: the generated values fall on both sides of the format.
        expect(seen.accepted).toBeGreaterThan(0);
        expect(seen.refused).toBeGreaterThan(0);
      });
    });
  }
});
