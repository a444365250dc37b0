/**
 * The CLI's own paths: start-up against `node -e 0`, `awsmfa env` against `aws sts assume-role`
 * (the same AssumeRole, MFA, 43200 s, over HTTP to 127.0.0.1), and the MFA prompt as a person meets it.
 */
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { AWS, COUNTS, NODE, QUICK, ROOT, SESSION_NAME, awsVersion, log, otherNodes, row, tryRow, usable, want, which, work, type Package } from './context.js'
import { roundRows, stats, type Env } from './measure.js'
import { fmtMs, ratioRow, signed } from './report.js'
import { checkAnswers, makeBenchWorld, startEmulatorProcess, stsRows, type BenchWorld, type StsSpec } from './sts-world.js'
import type { BenchEmulatorInfo } from './emulator-server.js'

/** The start-up rows, in alternating rounds with the floor they are compared with. */
export async function startRows(pkg: Package, env: Env): Promise<void> {
  const specs = [
    { id: 'floor', path: '`node -e 0` (floor)', argv: [NODE, '-e', '0'] },
    { id: 'version', path: '`awsmfa --version`', argv: [NODE, pkg.cli, '--version'] },
    { id: 'init', path: '`awsmfa init bash`', argv: [NODE, pkg.cli, 'init', 'bash'] },
    { id: 'help', path: '`awsmfa env --help` (yargs)', argv: [NODE, pkg.cli, 'env', '--help'] },
  ].filter((spec) => want(spec.id) || (spec.id === 'floor' && ['version', 'init', 'help'].some(want)))
  const results = await roundRows(specs.map((spec) => ({ ...spec, env, counts: COUNTS.node })))
  const floor = results.find((r) => r.id === 'floor')
  if (!usable(floor)) return
  for (const r of results) {
    if (r.id === 'floor' || !usable(r)) continue
    r.overFloor = r.median - floor.median
    r.value = `${fmtMs(r.median)} ms (floor ${signed(r.overFloor)})`
    if (r.id === 'help') continue
    r.target = 'floor + 15 ms'
    r.met = r.overFloor <= 15
  }
}

/** `awsmfa env` and `aws sts assume-role`, the same AssumeRole over HTTP to the emulator, and their ratio. */
export async function envRows(pkg: Package): Promise<void> {
  const envArgv = (node: string, emu: BenchEmulatorInfo): string[] => [node, pkg.cli, 'env', 'prod', '--token-code', emu.code]
  const httpEnv = (world: BenchWorld, emu: BenchEmulatorInfo): Env => ({ ...world.env, AWS_ENDPOINT_URL_STS: emu.url })
  const specs: StsSpec[] = []
  if (want('env')) {
    specs.push({ id: 'env', path: '`awsmfa env prod --token-code C` (HTTP emulator)', counts: COUNTS.sts,
      command: (emu, world) => ({ argv: envArgv(NODE, emu), env: httpEnv(world, emu) }) })
  }
  if (want('aws')) {
    if (!awsVersion) row({ id: 'aws', path: '`aws sts assume-role --endpoint-url …`', skipped: `${AWS} not installed` })
    else {
      specs.push({ id: 'aws', path: '`aws sts assume-role --endpoint-url …` (AWS CLI v2)', counts: COUNTS.aws,
        command: (emu, world) => ({
          argv: [AWS, 'sts', 'assume-role', '--endpoint-url', emu.url, '--profile', 'src',
            '--role-arn', emu.roleArn, '--role-session-name', SESSION_NAME, '--duration-seconds', '43200',
            '--token-code', emu.code, '--cli-input-json', `file://${world.request}`],
          env: world.env,
        }) })
    }
  }
  if (want('env')) {
    // The same row on the Node versions users mostly run.
    for (const { major, node, version } of otherNodes()) {
      specs.push({ id: `env-node${major}`, path: `… the same on Node ${version}`, counts: COUNTS.sts,
        command: (emu, world) => ({ argv: envArgv(node, emu), env: httpEnv(world, emu) }) })
      if (major === '24') {
        // Opt-in for users (NODE_COMPILE_CACHE, Node >= 22.1): V8 code cache on disk, warmed by the warm-up runs.
        const cache = join(work, 'compile-cache')
        specs.push({ id: 'env-node24-cache', path: `… the same on Node ${version} with NODE_COMPILE_CACHE (opt-in, warm)`, counts: COUNTS.sts,
          command: (emu, world) => ({ argv: envArgv(node, emu), env: { ...httpEnv(world, emu), NODE_COMPILE_CACHE: cache } }) })
      }
    }
  }
  const results = await stsRows(specs)
  const envRow = results.find((r) => r.id === 'env')
  const awsRow = results.find((r) => r.id === 'aws')
  if (usable(envRow) && usable(awsRow)) ratioRow('ratio', 'ratio awsmfa ÷ aws sts assume-role', envRow, awsRow)
}

/** The prompt as a person meets it: Enter → exit (bench/prompt-latency.py drives a pseudo-terminal). */
export async function promptLatencyRow(pkg: Package): Promise<void> {
  const path = 'MFA prompt: Enter → exit (`awsmfa env prod`, code typed at the prompt)'
  if (!which('python3')) {
    row({ id: 'mfa-prompt', path, skipped: 'python3 not installed (it drives the pseudo-terminal)' })
    return
  }
  const runs = QUICK ? 4 : 15
  await tryRow('mfa-prompt', path, async () => {
    const emu = await startEmulatorProcess({ users: runs + 2 })
    try {
      const world = makeBenchWorld(emu, 'mfa-prompt')
      const envs = emu.users.slice(0, runs).map((_, i) => ({
        ...world.env, AWS_ENDPOINT_URL_STS: emu.url,
        AWS_CONFIG_FILE: join(world.dir, `u${i + 1}/config`), AWS_SHARED_CREDENTIALS_FILE: join(world.dir, `u${i + 1}/credentials`),
      }))
      log(`${path} (${runs} runs)`)
      const out = execFileSync('python3', [join(ROOT, 'bench/prompt-latency.py')], {
        input: JSON.stringify({ argv: [NODE, pkg.cli, 'env', 'prod'], code: emu.code, think: 0.3, runs: envs }),
        encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'],
      })
      checkAnswers(await emu.stop(), runs, 'mfa-prompt')
      const s = stats((JSON.parse(out) as { ms: number[] }).ms.map((ms) => ms / 1000))
      return row({ id: 'mfa-prompt', path, ...s, tool: 'pty' })
    } finally {
      await emu.stop()
    }
  })
}
