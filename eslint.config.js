// ESLint (flat config). What it enforces, beyond typescript-eslint's recommended rules:
// - the pure compiler core (CORE below) does no I/O and reads no clock, randomness or process
//   state: same input, same output. I/O lives at the edges (files, cluster, git, GitHub, CLI);
// - the core does not import the edges;
// - every switch over a union is exhaustive, and no promise is left floating.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** The pure core: spec -> objects -> phases -> bundle text, diffs and reports as values. */
const CORE = [
  'src/compile.ts',
  'src/spec/**',
  'src/load/**',
  'src/expand/**',
  'src/plan/**',
  'src/bundle/**',
  'src/validate/**',
  'src/diagnostics/**',
  'src/k8s/**',
  'src/environments/**',
  'src/diff/**',
  'src/readiness/**',
  'src/report/**',
  'src/secrets/**',
  'src/inventory/**',
  'src/import/**',
  'src/view/**',
  'src/dashboard/**',
  'src/notify/notification.ts',
  'src/notify/route.ts',
  'src/notify/notices.ts',
];

/** Edge folders the core may not import (it gets what they read as values, or a narrow interface type). */
const EDGES = ['files', 'cluster', 'cli', 'watch', 'action', 'operations', 'apply'];

const CLOCK = 'The compiler core reads no clock: output is deterministic. Take the time as a parameter.';
const io = (name, why) => [
  { name, message: why },
  { name: `node:${name}`, message: why },
];
const IO = 'The compiler core does no I/O: read or write in an edge (src/files, src/cluster, ...) and pass values in.';

export default tseslint.config(
  { ignores: ['build/**', 'dist/**', 'node_modules/**', 'src/validate/precompiled/**', 'src/k8s/openapi/schema-data.ts', 'fixtures/**', 'examples/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: ['vitest.config.ts'] }, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-floating-promises': 'error',
      // Kubernetes objects are read as loose JSON (`Record<string, any>`) where only a few fields matter.
      '@typescript-eslint/no-explicit-any': 'off',
      // `const { a: _a, ...rest } = o` leaves a field out; `_` names a parameter kept for its position.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
    },
  },
  { files: ['**/*.js', '**/*.mjs'], languageOptions: { globals: globals.node } },
  // Expected output is written as it prints, aligned columns included.
  { files: ['test/**', 'bench/**'], rules: { 'no-regex-spaces': 'off' } },
  {
    files: CORE,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...io('fs', IO),
            ...io('fs/promises', IO),
            ...io('child_process', IO),
            ...io('http', IO),
            ...io('https', IO),
            ...io('http2', IO),
            ...io('net', IO),
            ...io('tls', IO),
            ...io('dgram', IO),
            ...io('worker_threads', IO),
            ...io('os', IO),
            ...io('process', IO),
          ],
          patterns: EDGES.map((edge) => ({
            group: [`**/${edge}/*`, `**/${edge}/**`],
            message: `The compiler core does not run the ${edge} edge's code: take a value, or a narrow interface (a type import), as a parameter.`,
            allowTypeImports: true,
          })),
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'The compiler core reads no process state (env, argv, cwd, stdout): the edge passes it in.' },
        { name: 'setTimeout', message: 'The compiler core does not wait on timers.' },
        { name: 'setInterval', message: 'The compiler core does not wait on timers.' },
        { name: 'fetch', message: IO },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: CLOCK },
        { selector: "CallExpression[callee.name='Date']", message: CLOCK },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: CLOCK },
        { selector: "CallExpression[callee.object.name='performance'][callee.property.name='now']", message: CLOCK },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'The compiler core is deterministic: no random values.' },
        { object: 'crypto', property: 'randomUUID', message: 'The compiler core is deterministic: no random values.' },
      ],
    },
  },
);
