import { INTEGRATED_SHELLS, SHELL_NAMES, shellByName, wordList } from './shells/index.js'

/**
 * The command line awsmfa takes, as data: lib/cli.ts declares it to yargs (and adds the handlers),
 * and the completion generator (lib/shells/completion/) writes it into the shipped completion
 * scripts. A command, an option or a value list is added here and nowhere else.
 */

export interface OptionSpec {
  readonly type: 'string' | 'boolean'
  readonly alias?: string
  /** The --help text. */
  readonly describe: string
  /** Completion's short description (zsh, fish); hidden options have none. */
  readonly summary?: string
  /** Not in --help, never completed (install.sh's own options). */
  readonly hidden?: true
  /** The values completion offers; a string option without them takes a value nobody can guess. */
  readonly values?: readonly string[]
  /** Completion's name for the value (zsh's message): `duration`. */
  readonly valueName?: string
  /** A boolean that is on by default: completion offers only `--no-NAME`. */
  readonly negated?: true
}

/** One word a positional accepts, and the profiles that may follow it (agent's actions). */
export interface PositionalChoice {
  readonly name: string
  /** Accepted, not completed (agent serve, which runs the agent in the foreground). */
  readonly hidden?: true
  /** How many profiles may follow it: `forget [P]` one, `add P…` any number. */
  readonly profiles?: 'one' | 'many'
}

export interface PositionalSpec {
  readonly name: string
  readonly describe: string
  /** `<name>`: yargs refuses the command line without it. */
  readonly demanded?: true
  /** `name..`: the rest of the words. */
  readonly variadic?: true
  /** What completion offers here: a target profile, one of the choices, or (after `--`) a command line. */
  readonly completes?: 'profile' | 'command line'
  /** The words completion offers here. */
  readonly choices?: readonly PositionalChoice[]
  /** yargs refuses any other word (agent's actions; init checks its shell itself, aliases included). */
  readonly onlyChoices?: true
}

export interface CommandSpec {
  readonly name: string
  /** The --help text. */
  readonly describe: string
  /** Completion's short description (zsh, fish). */
  readonly summary: string
  /** Where completion offers it (1 first): the everyday commands before the order of --help. */
  readonly completionRank: number
  readonly positionals: readonly PositionalSpec[]
  /** In the order --help lists them. */
  readonly options: Readonly<Record<string, OptionSpec>>
}

/** Session lengths completion offers for --duration (STS allows 15 minutes to 12 hours). */
const DURATIONS = ['12h', '8h', '4h', '1h', '45m', '15m']

const PROFILE: PositionalSpec = {
  name: 'profile',
  demanded: true,
  completes: 'profile',
  describe: 'a profile with role_arn in ~/.aws/config (or mfa_serial and its own keys: an MFA session as the IAM user)',
}

/** The options that shape one AssumeRole: env, exec and the integration's use take them. */
const SESSION_OPTIONS = {
  'token-code': { alias: 't', type: 'string', describe: 'the 6-digit MFA code (else mfa_process, else a prompt)', summary: 'the 6-digit MFA code', valueName: 'code' },
  duration: { alias: 'd', type: 'string', describe: 'session length: 12h, 45m, 3600 (default duration_seconds, else 12h)', summary: 'session length (12h, 45m, 3600)', values: DURATIONS, valueName: 'duration' },
  region: { type: 'string', describe: 'region for STS and for AWS_REGION (default: the profile\'s)', summary: 'region for STS and AWS_REGION', valueName: 'region' },
  'session-name': { type: 'string', describe: 'RoleSessionName (default role_session_name, else awsmfa-$USER)', summary: 'RoleSessionName', valueName: 'session name' },
  verbose: { alias: 'v', type: 'boolean', describe: 'explain each step on stderr (never secrets)', summary: 'explain each step on stderr' },
} as const satisfies Record<string, OptionSpec>

/** Sharing with the agent (SPEC §9): env, exec and console ask it first while one listens. */
const AGENT_OPTIONS = {
  'min-remaining': { type: 'string', describe: 'reuse a session (this terminal\'s for exec, the agent\'s) only with at least this much left (default 15m)', summary: 'reuse a session only with this much left', values: ['15m', '30m', '1h'], valueName: 'duration' },
  agent: { type: 'boolean', negated: true, describe: 'ask a running awsmfa agent first and hand it new sessions; --no-agent skips both (default: on while an agent runs)', summary: 'neither ask a running agent nor hand it the session' },
} as const satisfies Record<string, OptionSpec>

/** Every command, in the order --help lists them (and yargs is given them). */
export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'env',
    describe: 'Assume the profile\'s role with MFA and print shell code that exports the session',
    summary: 'print shell code that exports a session',
    completionRank: 3,
    positionals: [PROFILE],
    options: {
      ...SESSION_OPTIONS,
      ...AGENT_OPTIONS,
      shell: { type: 'string', describe: `${wordList(SHELL_NAMES)} (default: $AWSMFA_SHELL, else POSIX sh)`, summary: 'syntax of the output', values: SHELL_NAMES.flatMap((name) => [name, ...(shellByName(name).aliases ?? [])]), valueName: 'shell' },
      json: { type: 'boolean', describe: 'print credential_process JSON (Version 1) instead of shell code', summary: 'print credential_process JSON' },
    },
  },
  {
    name: 'init',
    describe: 'Print the shell integration (awsmfa use/clear, awsmfa_prompt, completion)',
    summary: 'print the shell integration',
    completionRank: 10,
    positionals: [{ name: 'shell', demanded: true, describe: wordList(INTEGRATED_SHELLS.map((s) => s.name)), choices: INTEGRATED_SHELLS.map((s) => ({ name: s.name })) }],
    options: {
      // install.sh asks these (lib/commands/startup.ts), so the shell's own module writes its lines
      'print-program': { type: 'boolean', hidden: true, describe: '' },
      'print-rc-file': { type: 'boolean', hidden: true, describe: '' },
      'print-rc-line': { type: 'boolean', hidden: true, describe: '' },
      'print-path-line': { type: 'string', hidden: true, describe: '' },
    },
  },
  {
    name: 'exec',
    describe: 'Run one command with the session in its environment (awsmfa exec prod -- aws s3 ls)',
    summary: 'run one command with a session in its environment',
    completionRank: 4,
    positionals: [PROFILE, { name: 'command', variadic: true, completes: 'command line', describe: 'the command and its arguments, after --' }],
    options: { ...SESSION_OPTIONS, ...AGENT_OPTIONS },
  },
  {
    name: 'list',
    describe: 'List the profiles that can be targets, with a verdict for each',
    summary: 'list the profiles that can be targets',
    completionRank: 6,
    positionals: [],
    options: { json: { type: 'boolean', describe: 'a stable JSON array for scripts', summary: 'a JSON array for scripts' } },
  },
  {
    name: 'doctor',
    describe: 'Check profiles, keys and the shell integration, and explain each fix',
    summary: 'check profiles, keys and the shell integration',
    completionRank: 7,
    positionals: [{ name: 'profile', completes: 'profile', describe: 'check only this profile (default: every profile with role_arn)' }],
    options: { online: { type: 'boolean', describe: 'also prove the source keys with GetCallerIdentity (no MFA) and measure clock skew', summary: 'also call GetCallerIdentity with the source keys' } },
  },
  {
    name: 'status',
    describe: 'Show this terminal\'s session: profile, role, time left',
    summary: 'show this terminal\'s session',
    completionRank: 8,
    positionals: [],
    options: {
      verify: { type: 'boolean', describe: 'ask AWS who the session\'s keys belong to (GetCallerIdentity)', summary: 'call GetCallerIdentity with the session' },
      json: { type: 'boolean', describe: 'print JSON for scripts', summary: 'JSON output' },
    },
  },
  {
    name: 'console',
    describe: 'Sign in to the AWS console in the browser with this terminal\'s session (or a new one for PROFILE)',
    summary: 'sign in to the AWS console in the browser with the session',
    completionRank: 5,
    positionals: [{ name: 'profile', completes: 'profile', describe: 'a profile with role_arn: a running agent\'s session, else a new one with MFA, as for env (default: this terminal\'s session)' }],
    options: {
      ...AGENT_OPTIONS,
      url: { type: 'boolean', describe: 'print the sign-in URL on stdout instead of opening a browser (it is a password for 15 minutes)', summary: 'print the sign-in URL instead of opening a browser' },
      destination: { type: 'string', describe: 'the console page: a service (s3, ec2, iam, …) or a console URL (default: the console home)', summary: 'the console page', values: ['s3', 'ec2', 'iam', 'cloudwatch', 'lambda', 'cloudformation', 'rds'], valueName: 'service or URL' },
      region: { type: 'string', describe: 'the console\'s region (default: the session\'s)', summary: 'the console\'s region', valueName: 'region' },
      'token-code': { ...SESSION_OPTIONS['token-code'], describe: 'with PROFILE: the 6-digit MFA code (else mfa_process, else a prompt)' },
      duration: { ...SESSION_OPTIONS.duration, describe: 'with PROFILE: session length, which is also the console\'s (default duration_seconds, else 12h)' },
      'session-name': { ...SESSION_OPTIONS['session-name'], describe: 'with PROFILE: RoleSessionName (default role_session_name, else awsmfa-$USER)' },
      verbose: { ...SESSION_OPTIONS.verbose, describe: 'explain each step on stderr (never the URL or a secret)' },
    },
  },
  {
    name: 'agent',
    describe: 'Hold sessions in memory so one MFA code serves every terminal (start, stop, status, forget [P], add P…)',
    summary: 'hold sessions in memory so one code serves every terminal',
    completionRank: 9,
    positionals: [
      {
        name: 'action',
        demanded: true,
        describe: 'start (idempotent), stop, status, forget [PROFILE], add PROFILE…, serve (foreground)',
        onlyChoices: true,
        choices: [{ name: 'start' }, { name: 'stop' }, { name: 'status' }, { name: 'forget', profiles: 'one' }, { name: 'add', profiles: 'many' }, { name: 'serve', hidden: true }],
      },
      { name: 'profiles', variadic: true, describe: 'profiles for add (one or more) and forget (at most one; none: all)' },
    ],
    options: { verbose: { alias: 'v', type: 'boolean', describe: 'explain each step on stderr (never secrets)', summary: 'explain each step on stderr' } },
  },
  {
    name: 'demo',
    describe: 'See the whole flow against a built-in local STS emulator (no AWS account needed)',
    summary: 'see the whole flow against a local STS emulator',
    completionRank: 11,
    positionals: [],
    options: {},
  },
  // Two commands, not aliases: as an alias of `use <profile>`, a bare `clear` failed on the missing profile.
  {
    name: 'use',
    describe: 'Put a session for the profile into THIS terminal (needs the shell integration)',
    summary: 'start a session in this terminal (asks for the MFA code)',
    completionRank: 1,
    positionals: [{ name: 'profile', completes: 'profile', describe: 'a profile with role_arn in ~/.aws/config' }],
    options: { ...SESSION_OPTIONS, ...AGENT_OPTIONS },
  },
  {
    name: 'clear',
    describe: 'Take the session out of THIS terminal, giving back what use replaced (needs the shell integration)',
    summary: 'remove the session from this terminal, restore what it replaced',
    completionRank: 2,
    positionals: [],
    options: {},
  },
]

/** The commands in the order completion offers them. */
export function completionOrder(): CommandSpec[] {
  return [...COMMANDS].sort((a, b) => a.completionRank - b.completionRank)
}

/** The command called `name`; throws for a name this file does not define. */
export function commandSpec(name: string): CommandSpec {
  const spec = COMMANDS.find((command) => command.name === name)
  if (spec === undefined) throw new Error(`no command ${name} in lib/command-line.ts`)
  return spec
}

/** As yargs declares it: `env <profile>`, `exec <profile> [command..]`. */
export function commandUsage(spec: CommandSpec): string {
  const words = spec.positionals.map((p) => {
    const name = p.variadic === true ? `${p.name}..` : p.name
    return p.demanded === true ? `<${name}>` : `[${name}]`
  })
  return [spec.name, ...words].join(' ')
}

/** The most profiles that may follow `choice` of the positional `name` of `command` (agent forget: 1). */
export function profilesAfter(command: string, name: string, choice: string): number {
  const found = commandSpec(command).positionals.find((p) => p.name === name)?.choices?.find((c) => c.name === choice)
  return found?.profiles === 'many' ? Infinity : found?.profiles === 'one' ? 1 : 0
}
