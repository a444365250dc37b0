import type { StartupOptions } from './commands/startup.js'
import type { Deps } from './deps.js'
import { reportFailure } from './errors.js'
import { commandSpec } from './command-line.js'
import { isShellName } from './shells/index.js'
import { VERSION } from './version.js'

/**
 * The commands that run in every new terminal, script and `awsmfa use` — `--version`,
 * `init <shell>`, `env <profile> [options]` and `agent start|serve` — and install.sh's questions
 * (`install-shells`, `init <shell> --print-…`) answered without loading yargs (about 35 ms of
 * start-up: yargs, cliui, string-width and their tables; see docs/benchmarks.md). Anything else
 * returns undefined and goes through the full CLI, which gives the same result, or the error.
 */
export async function fastPath(argv: readonly string[], deps: Deps): Promise<number | undefined> {
  try {
    if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
      deps.stdout.write(`${VERSION}\n`)
      return 0
    }
    if (argv.length === 2 && argv[0] === 'init' && isShellName(argv[1] ?? '')) {
      const { initCommand } = await import('./commands/init.js')
      return await initCommand({ shell: argv[1] ?? '' }, deps)
    }
    // install.sh's questions: several calls a shell on every install.
    const startup = parseStartupArgs(argv)
    if (startup !== undefined) {
      const { startupCommand } = await import('./commands/startup.js')
      return await startupCommand(startup, deps)
    }
    if (argv.length === 1 && argv[0] === 'install-shells') {
      const { installShellsCommand } = await import('./commands/startup.js')
      return await installShellsCommand(deps)
    }
    // `agent start` sits in rc files and `agent serve` is the long-lived agent: neither needs yargs.
    if (argv.length === 2 && argv[0] === 'agent' && (argv[1] === 'start' || argv[1] === 'serve')) {
      const { agentCommand } = await import('./commands/agent.js')
      return await agentCommand({ action: argv[1], profiles: [] }, deps)
    }
    const env = parseEnvArgs(argv)
    if (env !== undefined) {
      const { envCommand } = await import('./commands/env.js')
      return await envCommand(env, deps)
    }
  } catch (error) {
    return reportFailure(error, deps)
  }
  return undefined
}

export interface FastEnvArgs {
  profile: string
  tokenCode?: string
  duration?: string
  region?: string
  sessionName?: string
  shell?: string
  json?: boolean
  verbose?: boolean
  minRemaining?: string
  noAgent?: boolean
}

/** The env options this parser hands to envCommand; an option the table adds later goes to yargs until it is here. */
const VALUE_KEYS = ['tokenCode', 'duration', 'region', 'sessionName', 'shell', 'minRemaining'] as const
const FLAG_KEYS = ['json', 'verbose', 'noAgent'] as const
type ValueKey = (typeof VALUE_KEYS)[number]
type FlagKey = (typeof FLAG_KEYS)[number]

function oneOf<K extends string>(keys: readonly K[], key: string): key is K {
  return (keys as readonly string[]).includes(key)
}

/** `token-code` → `tokenCode`, as yargs names the parsed option. */
function camel(name: string): string {
  return name.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase())
}

/** Exactly the spellings lib/command-line.ts declares for `env`; any other word sends the line to yargs. */
const ENV_SPELLINGS = Object.entries(commandSpec('env').options).flatMap(([name, option]) => {
  const spellings = option.negated === true ? [`--no-${name}`] : [`--${name}`, ...(option.alias === undefined ? [] : [`-${option.alias}`])]
  const key = option.negated === true ? camel(`no-${name}`) : camel(name)
  return spellings.map((spelling) => ({ spelling, key, type: option.type }))
})
const VALUE_OPTIONS = new Map<string, ValueKey>(ENV_SPELLINGS.flatMap(({ spelling, key, type }) => (type === 'string' && oneOf(VALUE_KEYS, key) ? [[spelling, key]] : [])))
const FLAG_OPTIONS = new Map<string, FlagKey>(ENV_SPELLINGS.flatMap(({ spelling, key, type }) => (type === 'boolean' && oneOf(FLAG_KEYS, key) ? [[spelling, key]] : [])))

/**
 * `env <profile>` with options in their plain forms (`--name value`, `--name=value`, `-t value`,
 * flags without a value, each at most once). Values and the profile must be words yargs takes
 * literally for its string options: not empty and not starting with `-`. Everything else — help,
 * `--`, repeats, `--no-json`, `-vt`, camelCase, unknown options — is left to yargs, so this parser
 * can only ever agree with it (scripts/fast-path-parity.mjs checks that against lib/cli.ts).
 */
export function parseEnvArgs(argv: readonly string[]): FastEnvArgs | undefined {
  if (argv[0] !== 'env') return undefined
  let profile: string | undefined
  const parsed: Omit<FastEnvArgs, 'profile'> = {}
  const seen = new Set<string>()
  for (let i = 1; i < argv.length; i++) {
    const word = argv[i] ?? ''
    if (!word.startsWith('-')) {
      if (profile !== undefined || !literal(word)) return undefined
      profile = word
      continue
    }
    const eq = word.startsWith('--') ? word.indexOf('=') : -1
    const name = eq === -1 ? word : word.slice(0, eq)
    const flag = FLAG_OPTIONS.get(name)
    const key = flag ?? VALUE_OPTIONS.get(name)
    if (key === undefined || seen.has(key)) return undefined
    seen.add(key)
    if (flag !== undefined) {
      if (eq !== -1) return undefined
      parsed[flag] = true
      continue
    }
    const value = eq === -1 ? argv[++i] : word.slice(eq + 1)
    if (value === undefined || !literal(value)) return undefined
    parsed[key as ValueKey] = value
  }
  return profile === undefined ? undefined : { profile, ...parsed }
}

const STARTUP_FLAGS: ReadonlyMap<string, StartupOptions['query']> = new Map([
  ['--print-program', { print: 'program' }],
  ['--print-rc-file', { print: 'rc-file' }],
  ['--print-rc-line', { print: 'rc-line' }],
] as const)

/**
 * `init <shell> --print-program | --print-rc-file | --print-rc-line | --print-path-line DIR`
 * (or `--print-path-line=DIR`): exactly one question, after a shell name; anything else is yargs'.
 */
export function parseStartupArgs(argv: readonly string[]): StartupOptions | undefined {
  const [command, shell = '', option = '', ...rest] = argv
  if (command !== 'init' || !isShellName(shell)) return undefined
  const flag = STARTUP_FLAGS.get(option)
  if (flag !== undefined) return rest.length === 0 ? { shell, query: flag } : undefined
  const dir = option === '--print-path-line' && rest.length === 1 ? rest[0] : option.startsWith('--print-path-line=') && rest.length === 0 ? option.slice('--print-path-line='.length) : undefined
  return dir !== undefined && literal(dir) ? { shell, query: { print: 'path-line', dir } } : undefined
}

/** A word yargs passes through unchanged for a `type: 'string'` option or positional (`012345` stays). */
function literal(word: string): boolean {
  return word !== '' && !word.startsWith('-')
}
