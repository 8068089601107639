// jest loads reporters with node's require, without its transform: this loads the TypeScript reporter through tsx.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS file jest requires as it is
const { require: tsxRequire } = require('tsx/cjs/api');

module.exports = tsxRequire('./slowest-files.ts', __filename).SlowestFilesReporter;
