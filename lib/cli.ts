import yargs, { type Argv } from 'yargs'
import type { Deps } from './deps.js'
import { AwsmfaError, EXIT, reportFailure, usageError } from './errors.js'
import { INTEGRATED_SHELLS, SHELL_NAMES, shellByName, wordList } from './shells/index.js'
import type { StartupQuery } from './commands/startup.js'
import { commandDefinitions, usageFailure } from './usage.js'
import { VERSION } from './version.js'

/**
 * yargs wiring only: argv in, exit code out. Each command lives in lib/commands/ and is
 * imported when it runs, so `--version` or `init` load nothing they do not use.
 */
export async function main(argv: readonly string[], deps: Deps): Promise<number> {
  // Handlers only choose the command; it runs after yargs has finished validating, so a
  // rejected command line (unknown option, extra word) never makes a call or spends a code.
  let chosen: ((deps: Deps) => Promise<number>) | undefined
  const run = (command: (deps: Deps) => Promise<number>): void => {
    chosen = command
  }
  const parser = yargs([...argv])
    .scriptName('awsmfa')
    .locale('en')
    .detectLocale(false)
    .exitProcess(false)
    .strict()
    .wrap(100)
    .version(VERSION)
    .alias('version', 'V')
    .help()
    .alias('help', 'h')
    .usage('awsmfa: one MFA AssumeRole for up to 12 hours, exported to this terminal only.')
    .epilog(`use and clear are shell functions: they need the shell integration (${INTEGRATION_LINE}; ${OTHER_INTEGRATIONS}: awsmfa init --help).`)
    .command(
      'env <profile>',
      'Assume the profile\'s role with MFA and print shell code that exports the session',
      (y) => agentOptions(sessionOptions(y))
        .option('shell', { type: 'string', describe: `${wordList(SHELL_NAMES)} (default: $AWSMFA_SHELL, else POSIX sh)` })
        .option('json', { type: 'boolean', describe: 'print credential_process JSON (Version 1) instead of shell code' })
        .example('eval "$(awsmfa env prod)"', 'export a 12 h session into this shell'),
      async (args) => {
        const { envCommand } = await import('./commands/env.js')
        run((d) => envCommand({ ...sessionArgs(args), shell: optionText(args.shell), json: args.json, minRemaining: optionText(args.minRemaining), noAgent: args.agent === false ? true : undefined }, d))
      },
    )
    .command(
      'init <shell>',
      'Print the shell integration (awsmfa use/clear, awsmfa_prompt, completion)',
      (y) => y.positional('shell', { type: 'string', describe: wordList(INTEGRATED_SHELLS.map((s) => s.name)), demandOption: true })
        // install.sh asks these (lib/commands/startup.ts), so the shell's own module writes its lines
        .option('print-program', { type: 'boolean', hidden: true })
        .option('print-rc-file', { type: 'boolean', hidden: true })
        .option('print-rc-line', { type: 'boolean', hidden: true })
        .option('print-path-line', { type: 'string', hidden: true })
        .epilog(installHelp()),
      async (args) => {
        const shell = String(args.shell)
        const query = startupQuery(args)
        if (query === undefined) {
          const { initCommand } = await import('./commands/init.js')
          run((d) => initCommand({ shell }, d))
        } else {
          const { startupCommand } = await import('./commands/startup.js')
          run((d) => startupCommand({ shell, query }, d))
        }
      },
    )
    .command('install-shells', false, (y) => y, async () => {
      const { installShellsCommand } = await import('./commands/startup.js')
      run((d) => installShellsCommand(d))
    })
    .command(
      'exec <profile> [command..]',
      'Run one command with the session in its environment (awsmfa exec prod -- aws s3 ls)',
      (y) => agentOptions(sessionOptions(y))
        .positional('command', { type: 'string', array: true, describe: 'the command and its arguments, after --' })
        .parserConfiguration({ 'populate--': true, 'unknown-options-as-args': false })
        .example('awsmfa exec prod -- aws s3 ls', 'one command with a fresh session (or this terminal\'s, when it is for prod)')
        .example('awsmfa exec prod -d 1h -- terraform plan', 'options for awsmfa before --, the command\'s own after it'),
      async (args) => {
        const { execCommand, execCommandLine } = await import('./commands/exec.js')
        const command = execCommandLine(argv, (args.command as unknown[] | undefined) ?? [])
        run((d) => execCommand({ ...sessionArgs(args), minRemaining: optionText(args.minRemaining), noAgent: args.agent === false, command }, d))
      },
    )
    .command(
      'list',
      'List the profiles that can be targets, with a verdict for each',
      (y) => y.option('json', { type: 'boolean', describe: 'a stable JSON array for scripts' }),
      async (args) => {
        const { listCommand } = await import('./commands/list.js')
        run((d) => listCommand({ json: Boolean(args.json) }, d))
      },
    )
    .command(
      'doctor [profile]',
      'Check profiles, keys and the shell integration, and explain each fix',
      (y) => y
        .positional('profile', { type: 'string', describe: 'check only this profile (default: every profile with role_arn)' })
        .option('online', { type: 'boolean', describe: 'also prove the source keys with GetCallerIdentity (no MFA) and measure clock skew' }),
      async (args) => {
        const { doctorCommand } = await import('./commands/doctor.js')
        run((d) => doctorCommand({ profile: args.profile, online: Boolean(args.online) }, d))
      },
    )
    .command(
      'status',
      'Show this terminal\'s session: profile, role, time left',
      (y) => y
        .option('verify', { type: 'boolean', describe: 'ask AWS who the session\'s keys belong to (GetCallerIdentity)' })
        .option('json', { type: 'boolean', describe: 'print JSON for scripts' }),
      async (args) => {
        const { statusCommand } = await import('./commands/status.js')
        run((d) => statusCommand({ verify: Boolean(args.verify), json: Boolean(args.json) }, d))
      },
    )
    .command(
      'console [profile]',
      'Sign in to the AWS console in the browser with this terminal\'s session (or a new one for PROFILE)',
      (y) => agentOptions(y)
        .positional('profile', { type: 'string', describe: 'a profile with role_arn: a running agent\'s session, else a new one with MFA, as for env (default: this terminal\'s session)' })
        .option('url', { type: 'boolean', describe: 'print the sign-in URL on stdout instead of opening a browser (it is a password for 15 minutes)' })
        .option('destination', { type: 'string', describe: 'the console page: a service (s3, ec2, iam, …) or a console URL (default: the console home)' })
        .option('region', { type: 'string', describe: 'the console\'s region (default: the session\'s)' })
        .option('token-code', { alias: 't', type: 'string', describe: 'with PROFILE: the 6-digit MFA code (else mfa_process, else a prompt)' })
        .option('duration', { alias: 'd', type: 'string', describe: 'with PROFILE: session length, which is also the console\'s (default duration_seconds, else 12h)' })
        .option('session-name', { type: 'string', describe: 'with PROFILE: RoleSessionName (default role_session_name, else awsmfa-$USER)' })
        .option('verbose', { alias: 'v', type: 'boolean', describe: 'explain each step on stderr (never the URL or a secret)' })
        .example('awsmfa console', 'open the console as this terminal\'s role, for the time the session has left (up to 12 h)')
        .example('awsmfa console prod --destination s3 --url', 'print a sign-in URL that lands on S3'),
      async (args) => {
        const { consoleCommand } = await import('./commands/console.js')
        const profile = optionText(args.profile)
        run((d) => consoleCommand({
          profile,
          url: Boolean(args.url),
          destination: optionText(args.destination),
          region: optionText(args.region),
          tokenCode: optionText(args.tokenCode),
          duration: optionText(args.duration),
          sessionName: optionText(args.sessionName),
          verbose: Boolean(args.verbose),
          minRemaining: optionText(args.minRemaining),
          noAgent: args.agent === false,
        }, d))
      },
    )
    .command(
      'agent <action> [profiles..]',
      'Hold sessions in memory so one MFA code serves every terminal (start, stop, status, forget [P], add P…)',
      (y) => y
        .positional('action', { type: 'string', choices: ['start', 'stop', 'status', 'forget', 'add', 'serve'], describe: 'start (idempotent), stop, status, forget [PROFILE], add PROFILE…, serve (foreground)' })
        .positional('profiles', { type: 'string', array: true, describe: 'profiles for add (one or more) and forget (at most one; none: all)' })
        .option('verbose', { alias: 'v', type: 'boolean', describe: 'explain each step on stderr (never secrets)' })
        .example('awsmfa agent start', 'start it (or see that it runs); env, use and exec then share its sessions')
        .example('awsmfa agent add prod staging', 'one code per role now, none in any terminal for 12 h'),
      async (args) => {
        const { agentCommand } = await import('./commands/agent.js')
        const profiles = ((args.profiles as unknown[] | undefined) ?? []).map(String)
        const action = String(args.action) as import('./commands/agent.js').AgentAction
        if (action === 'forget' && profiles.length > 1) throw usageError('agent forget takes at most one profile')
        if (action !== 'forget' && action !== 'add' && profiles.length > 0) throw usageError(`agent ${action} takes no profile`)
        run((d) => agentCommand({ action, profiles, verbose: Boolean(args.verbose) }, d))
      },
    )
    .command('demo', 'See the whole flow against a built-in local STS emulator (no AWS account needed)', {}, async () => {
      const { demoCommand } = await import('./commands/demo.js')
      run((d) => demoCommand(d))
    })
    // Two commands, not aliases: as an alias of `use <profile>`, a bare `clear` failed on the missing profile.
    // The program only explains them (whatever follows use): the shell functions do the work.
    .command(
      'use [profile]',
      'Put a session for the profile into THIS terminal (needs the shell integration)',
      (y) => agentOptions(sessionFlags(y.positional('profile', { type: 'string', describe: 'a profile with role_arn in ~/.aws/config' })))
        .strict(false)
        .epilog(`A shell function from the integration (${INTEGRATION_LINE}); it runs awsmfa env --shell <this shell> with these options and evaluates the output.`),
      () => run(needsIntegration),
    )
    .command('clear', 'Take the session out of THIS terminal, giving back what use replaced (needs the shell integration)', (y) => y.strict(false), () => run(needsIntegration))
    .demandCommand(1)
    .recommendCommands()

  // Read before parsing: inside a command, yargs' table holds that command's own subcommands (none).
  const commands = commandDefinitions(parser)
  try {
    const output = await new Promise<string>((resolve, reject) => {
      parser
        .fail((message, error) => {
          reject(error ?? usageFailure(message ?? 'invalid command line', argv, commands))
        })
        .parseAsync([...argv], {}, (error, _parsed, text) => {
          if (error) reject(error)
          else resolve(text)
        })
        .then(() => resolve(''), reject)
    })
    // Help and version text: what the user asked to read, so it goes to stdout.
    if (output) deps.stdout.write(output.endsWith('\n') ? output : `${output}\n`)
    return chosen === undefined ? EXIT.ok : await chosen(deps)
  } catch (error) {
    return reportFailure(error, deps)
  }
}

/** `use` and `clear` exist only as shell functions; the binary says how to get them. */
async function needsIntegration(): Promise<number> {
  throw new AwsmfaError('use and clear change the current shell, so they need the shell integration', {
    fix: `add it to your shell: ${INTEGRATION_LINE} (or ${OTHER_INTEGRATIONS} — see awsmfa init --help); meanwhile: eval "$(awsmfa env PROFILE)"`,
    exitCode: EXIT.usage,
  })
}

/** bash's one line, the example every message about the integration gives. */
const INTEGRATION_LINE = shellByName('bash').install?.line ?? 'eval "$(awsmfa init bash)"'

/** The other shells with an integration, for the same messages: `zsh, fish, powershell`. */
const OTHER_INTEGRATIONS = INTEGRATED_SHELLS.filter((shell) => shell.name !== 'bash').map((shell) => shell.name).join(', ')

function sessionOptions<T>(y: Argv<T>) {
  return sessionFlags(y.positional('profile', { type: 'string', demandOption: true, describe: 'a profile with role_arn in ~/.aws/config (or mfa_serial and its own keys: an MFA session as the IAM user)' }))
}

/** The options that shape one AssumeRole: env, exec and the integration's use take them. */
function sessionFlags<T>(y: Argv<T>) {
  return y
    .option('token-code', { alias: 't', type: 'string', describe: 'the 6-digit MFA code (else mfa_process, else a prompt)' })
    .option('duration', { alias: 'd', type: 'string', describe: 'session length: 12h, 45m, 3600 (default duration_seconds, else 12h)' })
    .option('region', { type: 'string', describe: 'region for STS and for AWS_REGION (default: the profile\'s)' })
    .option('session-name', { type: 'string', describe: 'RoleSessionName (default role_session_name, else awsmfa-$USER)' })
    .option('verbose', { alias: 'v', type: 'boolean', describe: 'explain each step on stderr (never secrets)' })
}

/** Sharing with the agent (SPEC §9): env and exec ask it first while one listens. */
function agentOptions<T>(y: Argv<T>) {
  return y
    .option('min-remaining', { type: 'string', describe: 'reuse a session (this terminal\'s for exec, the agent\'s) only with at least this much left (default 15m)' })
    .option('agent', { type: 'boolean', describe: 'ask a running awsmfa agent first and hand it new sessions; --no-agent skips both (default: on while an agent runs)' })
}

interface SessionArgs {
  profile?: unknown
  tokenCode?: unknown
  duration?: unknown
  region?: unknown
  sessionName?: unknown
  verbose?: unknown
}

/** A string option's value. yargs turns a repeated option into an array; which was meant is a guess we do not make. */
function optionText(value: unknown): string | undefined {
  if (Array.isArray(value)) throw usageError(`an option was given more than once (${value.map(String).join(', ')})`)
  return value === undefined ? undefined : String(value)
}

function sessionArgs(args: SessionArgs) {
  return {
    profile: String(args.profile),
    tokenCode: optionText(args.tokenCode),
    duration: optionText(args.duration),
    region: optionText(args.region),
    sessionName: optionText(args.sessionName),
    verbose: Boolean(args.verbose),
  }
}

/** The one install.sh question among init's hidden --print-* options, if any. */
function startupQuery(args: Record<string, unknown>): StartupQuery | undefined {
  const queries: StartupQuery[] = []
  if (args['print-program'] === true) queries.push({ print: 'program' })
  if (args['print-rc-file'] === true) queries.push({ print: 'rc-file' })
  if (args['print-rc-line'] === true) queries.push({ print: 'rc-line' })
  const dir = optionText(args['print-path-line'])
  if (dir !== undefined) queries.push({ print: 'path-line', dir })
  if (queries.length > 1) throw usageError('init answers one --print-… question at a time')
  return queries[0]
}

/** `awsmfa init --help`: each shell's one-line install, from the shell modules. */
function installHelp(): string {
  const lines = INTEGRATED_SHELLS
    .filter((shell) => shell.install !== undefined)
    .map((shell) => `  ${shell.name.padEnd(11)} ${shell.install?.line ?? ''}   (${shell.install?.rcFile ?? ''})`)
  return ['Install with one line in your rc file:', ...lines, 'or source the static file from the shells/ folder, which starts no Node at all.'].join('\n')
}
