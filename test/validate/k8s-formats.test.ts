/**
 * The formats added so that what kubemin accepts, the API server accepts: each against a
 * reference written from k8s.io/apimachinery/pkg/util/validation (the regular expressions and
 * extra rules of IsConfigMapKey, IsHTTPHeaderName, IsDNS1035Label...), on generated strings
 * near the rules' edges, and on examples with the reasons users see.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkEnvFieldPath } from '../../src/k8s/formats/downward-api.js';
import { checkIngressHost } from '../../src/k8s/formats/hosts.js';
import { checkImage } from '../../src/k8s/formats/image.js';
import { checkConfigKey, checkHttpHeaderName } from '../../src/k8s/formats/keys.js';
import { checkAnnotationKey, checkDns1035Label } from '../../src/k8s/formats/names.js';
import { checkIngressPath, checkRelativePath } from '../../src/k8s/formats/paths.js';
import { checkResourceQuantity, checkSize, compareQuantities, isWholeQuantity, wholeValue } from '../../src/k8s/formats/quantity-value.js';
import { checkContainerResourceName } from '../../src/k8s/formats/resource-names.js';
import { expectReasonStyle } from '../k8s/formats/reason-style.js';

const edgy = (chars: string, maxLength: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...chars.split('')), maxLength });

const reference = {
  configKey: (s: string) => s.length <= 253 && /^[-._a-zA-Z0-9]+$/.test(s) && s !== '.' && s !== '..' && !s.startsWith('..'),
  header: (s: string) => /^[-A-Za-z0-9]+$/.test(s),
  dns1035: (s: string) => s.length <= 63 && /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(s),
};

describe('formats that follow the API server', () => {
  it('checkConfigKey is IsConfigMapKey', () => {
    fc.assert(
      fc.property(fc.oneof(edgy('a.-_/ !Z9é', 6), fc.constantFrom('.', '..', '..x', 'k'.repeat(253), 'k'.repeat(254))), (s) => {
        expect(checkConfigKey(s) === undefined, JSON.stringify(s)).toBe(reference.configKey(s));
      }),
    );
  });

  it('checkHttpHeaderName is IsHTTPHeaderName', () => {
    fc.assert(
      fc.property(edgy('aZ9-_: ', 5), (s) => {
        expect(checkHttpHeaderName(s) === undefined, JSON.stringify(s)).toBe(reference.header(s));
      }),
    );
  });

  it('checkDns1035Label is IsDNS1035Label', () => {
    fc.assert(
      fc.property(fc.oneof(edgy('a1-Z.', 5), fc.constantFrom('a'.repeat(63), 'a'.repeat(64), '1web')), (s) => {
        expect(checkDns1035Label(s) === undefined, JSON.stringify(s)).toBe(reference.dns1035(s));
      }),
    );
  });

  it.each([
    ['shop.example.com', undefined],
    ['*.example.com', undefined],
    ['a'.repeat(63) + '.io', undefined],
    ['10.0.0.1', 'it is an IP address'],
    ['010.000.000.001', 'it is an IP address'],
    ['2001:db8::1', 'it is an IP address'],
    ['1.2.3.256', undefined], // not an IP: a valid (if odd) DNS name, as for the API server
    ['*.*.example.com', 'a wildcard is only allowed as the whole first label'],
    ['shop*.example.com', 'a wildcard is only allowed as the whole first label'],
    ['*', 'a wildcard is only allowed as the whole first label'],
    [`*.${'a'.repeat(62)}.${'b'.repeat(62)}.${'c'.repeat(62)}.${'d'.repeat(62)}.io`, 'it is 256 characters long'],
    ['Shop.example.com', 'uppercase'],
  ])('ingress host %j', (host, problem) => {
    const got = checkIngressHost(host);
    if (problem === undefined) expect(got).toBeUndefined();
    else {
      expect(got).toContain(problem);
      expectReasonStyle(got!);
    }
  });

  it.each([
    ['/api', undefined],
    ['/', undefined],
    ['/a.b/c_d~e', undefined],
    ['api', "does not start with '/'"],
    ['/a//b', "contains '//'"],
    ['/a/./b', "contains '/./'"],
    ['/a/../b', "contains '/../'"],
    ['/a%2Fb', "contains '%2F'"],
    ['/a/.', "ends with '/.'"],
    ['/a/..', "ends with '/..'"],
  ])('ingress path %j', (p, problem) => {
    if (problem === undefined) expect(checkIngressPath(p)).toBeUndefined();
    else expect(checkIngressPath(p)).toContain(problem);
  });

  it.each([
    ['data', undefined],
    ['a/b.txt', undefined],
    ['..a', undefined],
    ['/data', 'it starts with \'/\' (try "data")'],
    ['../x', "'..' segment"],
    ['a/../b', "'..' segment"],
  ])('subPath %j', (p, problem) => {
    if (problem === undefined) expect(checkRelativePath(p)).toBeUndefined();
    else expect(checkRelativePath(p)).toContain(problem);
  });

  it.each([
    ['nginx', undefined],
    ['ghcr.io/acme/shop:1.4.0@sha256:' + 'a'.repeat(64), undefined],
    ['', 'it is empty'],
    ['  ', 'it is blank'],
    ['nginx ', 'whitespace at the end (try "nginx")'],
    ['\tnginx', 'whitespace at the start'],
    ['ngi nx', 'whitespace or control characters'],
  ])('image %j', (image, problem) => {
    if (problem === undefined) expect(checkImage(image)).toBeUndefined();
    else expect(checkImage(image)).toContain(problem);
  });

  it('annotation keys are compared in lowercase, as the API server does; label keys are not', () => {
    expect(checkAnnotationKey('Example.COM/Note')).toBeUndefined();
    expect(checkAnnotationKey('bad key')).toContain('contains');
  });

  it.each([
    ['metadata.name', undefined],
    ["metadata.labels['team']", undefined],
    ["metadata.annotations['Example.com/Note']", undefined],
    ["metadata.labels['Example.com/x']", 'the key is not valid'],
    ["metadata.labels['team name']", 'the key is not valid'],
    ['metadata.podName', 'it is none of these'],
    ['metadata.labels', 'it is none of these'],
  ])('env field path %j', (p, problem) => {
    if (problem === undefined) expect(checkEnvFieldPath(p)).toBeUndefined();
    else expect(checkEnvFieldPath(p)).toContain(problem);
  });

  it.each([
    ['cpu', undefined],
    ['ephemeral-storage', undefined],
    ['hugepages-2Mi', undefined],
    ['nvidia.com/gpu', undefined],
    ['example.com/fpga', undefined],
    ['gpu', 'try "nvidia.com/gpu"'],
    ['storage', 'not a standard resource'],
    ['kubernetes.io/x', 'reserved'],
    ['requests.example.com/x', "starts with 'requests.'"],
    ['hugepages-0', 'the page size'],
    ['example.com/bad name', 'not a valid'],
  ])('container resource name %j', (name, problem) => {
    if (problem === undefined) expect(checkContainerResourceName(name)).toBeUndefined();
    else expect(checkContainerResourceName(name)).toContain(problem);
  });
});

describe('exact quantities', () => {
  it('resource amounts are at least 0, sizes more than 0', () => {
    expect(checkResourceQuantity('0')).toBeUndefined();
    expect(checkResourceQuantity('-0')).toBeUndefined();
    expect(checkResourceQuantity('-1m')).toContain('is negative');
    expect(checkResourceQuantity('-1e-400')).toContain('is negative');
    expect(checkSize('1n')).toBeUndefined();
    expect(checkSize('1e-400')).toBeUndefined();
    expect(checkSize('0')).toContain('is zero');
    expect(checkSize('0.0Gi')).toContain('is zero');
    expect(checkSize('-1Gi')).toContain('is negative');
    expect(checkSize('1GB')).toContain('invalid unit');
  });

  it.each([
    ['1', '1000m', 0],
    ['0.1', '100m', 0],
    ['1Ki', '1024', 0],
    ['1k', '1Ki', -1],
    ['1.5Gi', '1536Mi', 0],
    ['1e3', '1k', 0],
    ['2', '1999m', 1],
    ['1e-9', '1n', 0],
  ] as const)('%s compared with %s is %d', (a, b, sign) => {
    expect(compareQuantities(a, b)).toBe(sign);
    expect(compareQuantities(b, a)).toBe(-sign === 0 ? 0 : -sign);
  });

  it('whole numbers as Kubernetes counts extended resources (the milli-value rounded up)', () => {
    for (const whole of ['1', '2', '0', '1k', '1Ki', '1e3', '1000m']) expect(isWholeQuantity(whole), whole).toBe(true);
    for (const part of ['0.5', '1500m', '1e-1', '1.0001']) expect(isWholeQuantity(part), part).toBe(false);
    expect(wholeValue('3Mi')).toBe(3n * 1024n * 1024n);
    expect(wholeValue('0.5')).toBe(1n);
  });
});
