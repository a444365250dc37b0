/**
 * The proxy libraries and the SDK's endpoint rules load only on the STS path: --version, init and
 * help never parse them, and even env loads https-proxy-agent only when a proxy is set. Read
 * from esbuild's metafile of the real build (scripts/build.mjs's options, into a temp dir).
 */
import t from 'tap'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
// @ts-expect-error scripts/build.mjs is plain JavaScript without types
import { buildDist } from '../../scripts/build.mjs'

interface Output { imports: { path: string; kind: string }[]; inputs: Record<string, unknown>; entryPoint?: string }

const NETWORK = /node_modules\/(proxy-from-env|https-proxy-agent|http-proxy-agent|agent-base)\/|lib\/sts-endpoint\.ts/

t.test('network code is off the start-up paths', async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'awsmfa-lazy-'))
  t.teardown(() => rmSync(out, { recursive: true, force: true }))
  const { metafile } = (await buildDist({ outdir: out, metafile: true })) as { metafile: { outputs: Record<string, Output> } }
  const outputs = metafile.outputs
  const fileOf = (entry: string): string => {
    const found = Object.entries(outputs).find(([, o]) => o.entryPoint === entry)
    if (found === undefined) throw new Error(`no chunk for ${entry}`)
    return found[0]
  }
  /** Inputs loaded when `entry` is imported: its chunk and every chunk it imports statically. */
  const staticInputs = (entry: string): string[] => {
    const seen = new Set<string>()
    const walk = (file: string): void => {
      if (seen.has(file)) return
      seen.add(file)
      for (const i of outputs[file]?.imports ?? []) if (i.kind === 'import-statement' && outputs[i.path]) walk(i.path)
    }
    walk(fileOf(entry))
    return [...seen].flatMap((file) => Object.keys(outputs[file]?.inputs ?? {}))
  }
  for (const entry of ['lib/bin.ts', 'lib/cli.ts', 'lib/commands/init.ts', 'lib/commands/list.ts']) {
    t.same(staticInputs(entry).filter((input) => NETWORK.test(input)), [], `${entry} loads no proxy library and no endpoint rules`)
  }
  // Deps' lazy doors: the emulator's server (demo) and execa (exec's child, mfa_process) load only when used.
  for (const entry of ['lib/bin.ts', 'lib/cli.ts', 'lib/commands/exec.ts', 'lib/commands/demo.ts']) {
    t.same(staticInputs(entry).filter((input) => /lib\/emulator\/(server|sts|sigv4)\.ts|node_modules\/execa\//.test(input)), [], `${entry} loads neither the emulator's server nor execa`)
  }
  t.same(staticInputs('lib/sts-client.ts').filter((input) => /https-proxy-agent|http-proxy-agent/.test(input)), [], 'the STS client loads the proxy agents only when a proxy is set')
  const all = Object.values(outputs).flatMap((o) => Object.keys(o.inputs))
  for (const name of ['proxy-from-env', 'https-proxy-agent', 'http-proxy-agent']) t.ok(all.some((input) => input.includes(`node_modules/${name}/`)), `${name} is in the bundle (lazily)`)
  t.ok(all.includes('lib/sts-endpoint.ts'), 'the endpoint rules are in the bundle (lazily)')
})
