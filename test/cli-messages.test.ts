/**
 * Help and usage messages from the built CLI: --help lists every command (use and clear marked as
 * needing the shell integration), `use --help` is use's own, and a command line yargs refuses gets
 * awsmfa's one-line message with the fix (exit 2, empty stdout), made from the same command
 * definitions as the help. The integration's `use --help` reaches the same help in real shells.
 */
import t from 'tap'
import { execa } from 'execa'
import { join } from 'node:path'
import { CLI, ROOT, makeWorld } from './helpers/world.js'
import { requireRow } from './helpers/shell-table.js'
import { FILES, INTEGRATED, makeBin, type IntegratedShell } from './integration/common.js'
import { INTEGRATED_SHELLS } from '../lib/shells/index.js'

async function cli(args: string[], env: Record<string, string> = {}) {
  const result = await execa(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent', NO_COLOR: '1', ...env },
    extendEnv: false, reject: false, stdin: 'ignore', stripFinalNewline: false,
  })
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) }
}

/** The commands --help lists, in its order. */
function helpCommands(help: string): string[] {
  return [...help.matchAll(/^ {2}awsmfa (\S+)/gm)].map((m) => m[1] ?? '')
}

t.test('--help lists every command; use and clear say they need the integration and how to get it', async (t) => {
  const help = await cli(['--help'])
  t.equal(help.exitCode, 0)
  t.equal(help.stderr, '')
  const listed = helpCommands(help.stdout)
  // Commands added later (in cli.ts's .command(...) style) join the list: these must be there.
  for (const name of ['env', 'init', 'exec', 'list', 'doctor', 'status', 'demo', 'use', 'clear']) t.ok(listed.includes(name), `--help lists ${name}`)
  t.match(help.stdout, /awsmfa use \[profile\] +Put a session for the profile into THIS terminal \(needs the\s+shell integration\)/)
  t.match(help.stdout, /awsmfa clear +Take the session out of THIS terminal.*\(needs the shell integration\)/s)
  // the other integrated shells, from the registry (the help text wraps anywhere between them)
  const others = INTEGRATED_SHELLS.filter((shell) => shell.name !== 'bash').map((shell) => shell.name).join(',\\s+')
  t.match(help.stdout, new RegExp(`use and clear are shell functions: they need the shell integration \\(eval "\\$\\(awsmfa init bash\\)";\\s+${others}:\\s+awsmfa init --help\\)`))

  // The same definitions make the messages: an unknown command's fix names exactly the listed commands.
  const bogus = await cli(['bogus'])
  const named = /the commands are (.*) \(awsmfa --help\)/.exec(bogus.stderr)?.[1]?.split(/, | or /)
  t.same(named, listed, 'the message lists the commands --help lists, in the same order')
})

t.test('use --help is use\'s own: the session options, not env\'s --shell/--json', async (t) => {
  const help = await cli(['use', '--help'])
  t.equal(help.exitCode, 0)
  t.match(help.stdout, /^awsmfa use \[profile\]\n/)
  for (const option of ['--token-code', '--duration', '--region', '--session-name', '--verbose']) t.match(help.stdout, new RegExp(`\\s${option}\\s`), option)
  t.notMatch(help.stdout, /^ +--(shell|json) /m, 'no --shell or --json option')
  t.match(help.stdout, /A shell function from the integration \(eval "\$\(awsmfa init bash\)"\)/)
  const clear = await cli(['clear', '--help'])
  t.equal(clear.exitCode, 0)
  t.match(clear.stdout, /^awsmfa clear\n\nTake the session out of THIS terminal/)
})

const CASES: Array<{ args: string[]; message: RegExp }> = [
  { args: [], message: /^awsmfa: name a command: env, init, exec, .*, use or clear\n {2}fix: awsmfa --help says what each does\n$/ },
  { args: ['--tokn'], message: /^awsmfa: unknown option --tokn \(options go after the command\)\n {2}fix: name a command first: env, .* or clear \(awsmfa --help\)\n$/ },
  { args: ['bogus'], message: /^awsmfa: 'bogus' is not an awsmfa command\n {2}fix: the commands are env, .* or clear \(awsmfa --help\)\n$/ },
  { args: ['evn', 'prod'], message: /^awsmfa: 'evn' is not an awsmfa command\n {2}fix: did you mean awsmfa env\? the commands are /m },
  { args: ['env'], message: /^awsmfa: env needs <profile>: awsmfa env <profile>\n {2}fix: awsmfa env --help; awsmfa list shows the profiles\n$/ },
  { args: ['exec'], message: /^awsmfa: exec needs <profile>: awsmfa exec <profile> \[command\.\.\]\n {2}fix: awsmfa exec --help; awsmfa list shows the profiles\n$/ },
  { args: ['init'], message: /^awsmfa: init needs <shell>: awsmfa init <shell>\n {2}fix: awsmfa init --help\n$/ },
  { args: ['env', 'prod', '--tokn', '123456'], message: /^awsmfa: env has no option --tokn\n {2}fix: awsmfa env --help lists its options\n$/ },
  { args: ['env', 'prod', '--foo=1'], message: /^awsmfa: env has no option --foo\n/ },
  { args: ['env', 'prod', '-xy'], message: /^awsmfa: env has no option -x, -y\n/ },
  { args: ['status', '--verbose'], message: /^awsmfa: status has no option --verbose\n {2}fix: awsmfa status --help lists its options\n$/ },
  { args: ['exec', 'prod', 'ls', '-l'], message: /^awsmfa: exec has no option -l\n {2}fix: options for awsmfa go before --, the command's own after it: awsmfa exec PROFILE -- COMMAND ARGS… \(awsmfa exec --help\)\n$/ },
  { args: ['list', 'extra'], message: /^awsmfa: list does not take 'extra': awsmfa list\n {2}fix: awsmfa list --help\n$/ },
  { args: ['env', 'prod', '654321'], message: /^awsmfa: env does not take '\*{6}': awsmfa env <profile>\n/ },
]

t.test('refused command lines: awsmfa\'s own message with the fix, exit 2, empty stdout', async (t) => {
  const listed = helpCommands((await cli(['--help'])).stdout)
  const none = await cli([])
  t.equal(/name a command: (.*)\n/.exec(none.stderr)?.[1], `${listed.slice(0, -1).join(', ')} or ${listed.at(-1) ?? ''}`, 'no command: the commands --help lists')
  for (const c of CASES) {
    const result = await cli(c.args)
    t.equal(result.exitCode, 2, `${c.args.join(' ')}: exit 2`)
    t.equal(result.stdout, '', `${c.args.join(' ')}: stdout empty`)
    t.match(result.stderr, c.message, `${c.args.join(' ')}: ${result.stderr}`)
    t.notMatch(result.stderr, /Unknown argument|Not enough non-option|Did you mean/, 'no yargs default text')
    t.notMatch(result.stderr, /654321/, 'a code typed in the wrong place is never echoed')
  }
})

t.test('use and clear without the integration still explain how to get it, whatever follows', async (t) => {
  for (const args of [['use'], ['use', 'prod', '--bogus'], ['clear'], ['clear', 'x']]) {
    const result = await cli(args)
    t.equal(result.exitCode, 2)
    t.equal(result.stdout, '')
    t.match(result.stderr, /^awsmfa: use and clear change the current shell, so they need the shell integration\n {2}fix: add it to your shell: eval "\$\(awsmfa init bash\)"/)
  }
})

for (const row of INTEGRATED) {
  t.test(`the integration's use --help shows use's help in real ${row.label}`, async (t) => {
    const shell = requireRow(t, row)
    if (shell === undefined) return
    const bin = makeBin(t)
    const script = `${row.source(join(ROOT, FILES[row.name as IntegratedShell].integration))}\nawsmfa use --help`
    const result = await execa(shell, row.command(script), { env: { PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: '/nonexistent', TERM: 'dumb' }, extendEnv: false, reject: false })
    t.equal(result.exitCode, 0, result.stderr)
    t.match(result.stdout, /^awsmfa use \[profile\]\n/, "use's own help")
    t.notMatch(result.stdout, /--json/, "not env's")
  })
}

t.test('doctor says "missing" for a missing file, never a ✓', async (t) => {
  const world = await makeWorld(t)
  const result = await execa(process.execPath, [CLI, 'doctor'], {
    env: { ...world.env(), AWS_SHARED_CREDENTIALS_FILE: join(world.scratch, 'no-such-credentials') }, extendEnv: false, reject: false, stdin: 'ignore',
  })
  t.match(result.stdout, /^ {2}! credentials .*no-such-credentials: missing \(from AWS_SHARED_CREDENTIALS_FILE\)$/m)
  t.notMatch(result.stdout, /✓ credentials/)
  t.notMatch(result.stdout, /not there/)
  t.match(result.stdout, /^ {2}✓ config /m, 'a file that is there keeps its ✓')
})

t.test('the fast path agrees with yargs (scripts/fast-path-parity.mjs)', async (t) => {
  const parity = await execa(process.execPath, [join(ROOT, 'scripts/fast-path-parity.mjs')], { reject: false })
  t.equal(parity.exitCode, 0, parity.stderr)
  t.match(parity.stdout, / 0 disagreements/)
})
