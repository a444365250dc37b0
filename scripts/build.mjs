// Bundles the CLI into dist/: awsmfa.mjs plus chunks loaded on demand, so the start-up path
// (--version, init, help) never parses the AWS SDK, execa or the emulator.
import { build } from 'esbuild'
import { chmod } from 'node:fs/promises'

// No rm: parallel test runs may be reading dist/ while another build writes it; chunk names are content hashes.
await build({
  entryPoints: { awsmfa: 'lib/bin.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  mainFields: ['module', 'main'],
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'none',
  logLevel: 'warning',
  banner: {
    // Some bundled CommonJS code calls require() for Node built-ins.
    js: "import { createRequire as __awsmfaRequire } from 'node:module'; const require = __awsmfaRequire(import.meta.url);",
  },
})
await chmod('dist/awsmfa.mjs', 0o755)
