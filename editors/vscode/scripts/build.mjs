// Bundles the extension and its one runtime dependency (vscode-languageclient)
// into dist/extension.js, so the package needs no node_modules. With --test it
// also transpiles the vscode-free modules to out/ for the node:test suite.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');

await esbuild.build({
  entryPoints: ['src/extension.ts'],
  bundle: true,
  outfile: 'dist/extension.js',
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  minify: production,
  sourcemap: !production,
  logLevel: 'warning',
});

if (process.argv.includes('--test')) {
  await esbuild.build({
    entryPoints: ['src/server.ts', 'src/settings.ts', 'src/ciphers.ts'],
    outdir: 'out',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
  });
}
