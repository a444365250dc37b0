/**
 * A failed write to stdout, through the built CLI with real descriptors: /dev/full (ENOSPC), a
 * closed stdout (`>&-`, EBADF) and a pipe whose reader is gone (EPIPE). Every command: exit
 * non-zero, exactly one message on stderr, no stack trace, no success line.
 */
import t from 'tap'
import { execa } from 'execa'
import { CLI, makeWorld } from '../helpers/world.js'
import { missing } from '../helpers/missing.js'

const python = await execa('python3', ['--version'], { reject: false })
const hasPython = python.exitCode === 0

/** Commands that write to stdout, none needing an MFA code (nomfa's role trusts alice without MFA). */
const COMMANDS: Array<{ args: string[]; success?: RegExp; profile?: string }> = [
  { args: ['env', 'nomfa'], success: /nomfa: NoMfaTrust in/, profile: 'nomfa' },
  { args: ['env', 'nomfa', '--json'], success: /nomfa: NoMfaTrust in/, profile: 'nomfa' },
  { args: ['env', 'nomfa', '--shell', 'fish'], success: /nomfa: NoMfaTrust in/, profile: 'nomfa' },
  { args: ['list'] },
  { args: ['list', '--json'] },
  { args: ['init', 'bash'] },
  { args: ['--version'] },
  { args: ['--help'] },
  { args: ['status'] },
  { args: ['doctor', 'nomfa'] },
]

type Sink = 'full' | 'closed' | 'no-reader'
const CAUSE: Record<Sink, RegExp> = {
  full: /could not write the output to stdout: the device it goes to is full \(ENOSPC\)/,
  closed: /could not write the output to stdout: stdout is closed \(EBADF\)/,
  'no-reader': /could not write the output to stdout: the program reading it stopped before the end \(EPIPE\)/,
}

async function runInto(sink: Sink, args: string[], env: Record<string, string>): Promise<{ exitCode: number; stderr: string }> {
  const command = [process.execPath, CLI, ...args]
  const result =
    sink === 'no-reader'
      ? // A pipe whose read end is closed before awsmfa starts: its first write meets EPIPE.
        await execa('python3', ['-c', 'import os,subprocess,sys\nr,w=os.pipe()\nos.close(r)\nsys.exit(subprocess.run(sys.argv[1:],stdout=w).returncode)', ...command], { env, extendEnv: false, reject: false, stripFinalNewline: false })
      : await execa('bash', ['-c', sink === 'full' ? '"$@" >/dev/full' : '"$@" >&-', 'bash', ...command], { env, extendEnv: false, reject: false, stripFinalNewline: false })
  return { exitCode: result.exitCode ?? -1, stderr: String(result.stderr) }
}

for (const sink of ['full', 'closed', 'no-reader'] as const) {
  t.test(`stdout ${sink}: every command fails with one message, no stack, no success line`, async (t) => {
    if (sink === 'no-reader' && !hasPython) return missing(t, 'python3 is not installed (it makes the reader-less pipe)')
    const world = await makeWorld(t)
    const session = await world.sessionEnv('nomfa')
    for (const { args, success, profile } of COMMANDS) {
      const env = { ...world.env(), ...(args[0] === 'status' ? session : {}) }
      const result = await runInto(sink, args, env)
      const what = args.join(' ')
      t.not(result.exitCode, 0, `${what}: exit non-zero (closed stdout exited 0 before the fix)`)
      t.match(result.stderr, new RegExp(`^awsmfa: ${profile === undefined ? '' : `${profile}: `}${CAUSE[sink].source}.*\\n  fix: [^\\n]+\\n$`), `${what}: exactly one message`)
      t.notMatch(result.stderr, /\n\s+at |node:internal|Error:/, `${what}: no stack trace (crashed before the fix)`)
      if (success !== undefined) t.notMatch(result.stderr, success, `${what}: no success line`)
      if (profile !== undefined) t.match(result.stderr, /the session was made but not delivered/, `${what}: says the session did not arrive`)
    }
  })
}

t.test('a reader that stops early (| head -n 1): its line arrives, awsmfa says why it stopped, no stack', async (t) => {
  const many = Array.from({ length: 3000 }, (_, i) => `[profile p${i}]\nrole_arn = arn:aws:iam::123456789034:role/Role${i}\nsource_profile = alice\n`).join('\n')
  const world = await makeWorld(t, { config: () => many })
  // ~1 MB of JSON: far more than a pipe holds, so the writer is still writing when head exits.
  const result = await execa('bash', ['-c', '"$@" | head -n 1; echo "status=${PIPESTATUS[0]}" >&2', 'bash', process.execPath, CLI, 'list', '--json'], {
    env: world.env(),
    extendEnv: false,
    reject: false,
    stripFinalNewline: false,
  })
  t.equal(result.stdout, '[\n', 'head got its line')
  t.match(result.stderr, /^awsmfa: could not write the output to stdout: the program reading it stopped before the end \(EPIPE\)\n  fix: [^\n]+\nstatus=1\n$/)
})

t.test('a writable stdout still works: >/dev/null is not mistaken for a closed stdout', async (t) => {
  const world = await makeWorld(t)
  const result = await execa('bash', ['-c', '"$@" >/dev/null', 'bash', process.execPath, CLI, 'env', 'nomfa'], { env: world.env(), extendEnv: false, reject: false })
  t.equal(result.exitCode, 0, String(result.stderr))
  t.match(String(result.stderr), /^nomfa: NoMfaTrust in 123456789034 until/)
})
