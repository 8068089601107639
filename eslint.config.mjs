import { builtinModules } from 'node:module';
import { relative } from 'node:path';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import { config, configs } from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/**
 * The product's layers, lowest first. A module imports from its own layer and the ones below, never from one above,
 * so each layer can be read, tested and changed knowing only what lies under it; process entry points sit on top
 * whatever their folder. The workflows' contract (the names, signals, queries and types clients share) sits low,
 * the workflow code that orchestrates activities high: it imports the activities' types only (the workflows block
 * below keeps that so), and the client library starts workflows by their types.
 */
const workflowContract = [
  'src/workflows/definitions.ts',
  'src/workflows/outreach-definitions.ts',
  'src/workflows/campaign-key.ts',
  'src/workflows/search-attributes.ts',
];
const layers = [
  { name: 'platform', paths: ['src/platform'] },
  { name: 'workflow contract', paths: workflowContract },
  {
    name: 'adapters and domain',
    paths: ['src/bolna', 'src/csv', 'src/store', 'src/codec', 'src/outreach', 'src/report', 'src/webhooks'],
  },
  { name: 'inputs', paths: ['src/inputs'] },
  { name: 'temporal', paths: ['src/temporal'] },
  { name: 'activities', paths: ['src/activities'] },
  { name: 'workflows', paths: ['src/workflows'] },
  { name: 'library', paths: ['src/campaigns', 'src/campaigns.ts'] },
  { name: 'config', paths: ['src/config.ts'] },
  { name: 'cli', paths: ['src/cli'] },
];
const entryPoints = [
  'src/worker.ts',
  'src/starter.ts',
  'src/webhooks/main.ts',
  'src/codec/server.ts',
  'src/temporal/register-search-attributes.ts',
  'src/temporal/build-workflow-bundle.ts',
];
const asFiles = (path) => (path.endsWith('.ts') ? path : `${path}/**/*.ts`);
const layerRules = layers.map((layer, index) => {
  const above = layers.slice(index + 1);
  const message = `The ${layer.name} layer sits below ${above.map((higher) => higher.name).join(', ')} and the entry points: move the code down or the import up (layers in eslint.config.mjs).`;
  const abovePaths = above.flatMap((higher) => higher.paths);
  // src/workflows/ holds both the contract (low) and the workflow code (high): the contract's files are excepted.
  const zones = abovePaths.map((from) =>
    from === 'src/workflows'
      ? { target: './src', from, except: workflowContract.map((file) => relative(from, file)), message }
      : { target: './src', from, message },
  );
  return {
    files: layer.paths.map(asFiles),
    // A file belongs to the first layer that names it: the contract's files are in src/workflows/ too.
    ignores: [...entryPoints, ...layers.slice(0, index).flatMap((lower) => lower.paths)],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        { zones: [...zones, { target: './src', from: entryPoints, message }] },
      ],
    },
  };
});

export default config(
  { ignores: ['node_modules/', 'dist/', '.cache/', '.data/', 'results/', 'coverage/'] },
  js.configs.recommended,
  ...configs.recommendedTypeChecked,
  importX.flatConfigs.recommended,
  importX.flatConfigs.typescript,
  {
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver()] },
    rules: {
      // A cycle makes load order decide what a module sees; the layers (workflows → definitions, activities →
      // bolna/csv) must stay one-way. This rule skips type-only imports; `npm run lint` runs madge for those.
      'import-x/no-cycle': 'error',
      // Node built-ins, then packages, then our own modules from far to near, each group alphabetical.
      'import-x/order': [
        'error',
        {
          groups: ['builtin', 'external', 'parent', 'sibling', 'index'],
          'newlines-between': 'never',
          alphabetize: { order: 'asc', caseInsensitive: true },
        },
      ],
    },
  },
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  ...layerRules,
  {
    files: ['**/*.js', '**/*.mjs'],
    ...configs.disableTypeChecked,
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, no I/O.
    files: ['src/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins,
          patterns: [
            // Pure constants are fine; anything that does I/O is not.
            {
              group: ['../bolna/*', '!../bolna/statuses', '../csv*', '../simulator*', 'undici'],
              allowTypeImports: true,
            },
            { group: ['../activities*'], allowTypeImports: true },
          ],
        },
      ],
    },
  },
  prettier,
);
