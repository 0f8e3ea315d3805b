// Bundles the extension (out/extension.js) or the unit tests (out-test/).
import * as esbuild from 'esbuild';
import { readdirSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');

const options = tests
  ? {
      entryPoints: readdirSync('test')
        .filter((f) => f.endsWith('.test.ts'))
        .map((f) => `test/${f}`),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outdir: 'out-test',
      sourcemap: 'inline',
      external: ['vscode'],
      logLevel: 'warning',
    }
  : {
      entryPoints: ['src/extension.ts'],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile: 'out/extension.js',
      external: ['vscode'],
      minify: production,
      sourcemap: !production,
      logLevel: 'warning',
    };

if (watch) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
} else {
  await esbuild.build(options);
}
