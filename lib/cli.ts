import yargs, { type ArgumentsCamelCase, type Argv, type CommandModule } from 'yargs'
import { commandSpec, commandUsage, profilesAfter } from './command-line.js'
import type { Deps } from './deps.js'
import { AwsmfaError, EXIT, reportFailure, usageError } from './errors.js'
import type { StartupQuery } from './commands/startup.js'
import { INTEGRATED_SHELLS, shellByName } from './shells/index.js'
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
    .command(command('env', async (args) => {
      const { envCommand } = await import('./commands/env.js')
      run((d) => envCommand({ ...sessionArgs(args), shell: optionText(args.shell), json: args.json === undefined ? undefined : Boolean(args.json), minRemaining: optionText(args.minRemaining), noAgent: args.agent === false ? true : undefined }, d))
    }, (y) => y.example('eval "$(awsmfa env prod)"', 'export a 12 h session into this shell')))
    .command(command('init', async (args) => {
      const shell = String(args.shell)
      const query = startupQuery(args)
      if (query === undefined) {
        const { initCommand } = await import('./commands/init.js')
        run((d) => initCommand({ shell }, d))
      } else {
        const { startupCommand } = await import('./commands/startup.js')
        run((d) => startupCommand({ shell, query }, d))
      }
    }, (y) => y.epilog(installHelp())))
    // install.sh's question (lib/commands/startup.ts): hidden from help and from usage messages
    .command('install-shells', false, (y) => y, async () => {
      const { installShellsCommand } = await import('./commands/startup.js')
      run((d) => installShellsCommand(d))
    })
    .command(command('exec', async (args) => {
      const { execCommand, execCommandLine } = await import('./commands/exec.js')
      const line = execCommandLine(argv, (args.command as unknown[] | undefined) ?? [])
      run((d) => execCommand({ ...sessionArgs(args), minRemaining: optionText(args.minRemaining), noAgent: args.agent === false, command: line }, d))
    }, (y) => y
      .parserConfiguration({ 'populate--': true, 'unknown-options-as-args': false })
      .example('awsmfa exec prod -- aws s3 ls', 'one command with a fresh session (or this terminal\'s, when it is for prod)')
      .example('awsmfa exec prod -d 1h -- terraform plan', 'options for awsmfa before --, the command\'s own after it')))
    .command(command('list', async (args) => {
      const { listCommand } = await import('./commands/list.js')
      run((d) => listCommand({ json: Boolean(args.json) }, d))
    }))
    .command(command('doctor', async (args) => {
      const { doctorCommand } = await import('./commands/doctor.js')
      run((d) => doctorCommand({ profile: optionText(args.profile), online: Boolean(args.online) }, d))
    }))
    .command(command('status', async (args) => {
      const { statusCommand } = await import('./commands/status.js')
      run((d) => statusCommand({ verify: Boolean(args.verify), json: Boolean(args.json) }, d))
    }))
    .command(command('console', async (args) => {
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
    }, (y) => y
      .example('awsmfa console', 'open the console as this terminal\'s role, for the time the session has left (up to 12 h)')
      .example('awsmfa console prod --destination s3 --url', 'print a sign-in URL that lands on S3')))
    .command(command('agent', async (args) => {
      const { agentCommand } = await import('./commands/agent.js')
      const profiles = ((args.profiles as unknown[] | undefined) ?? []).map(String)
      const action = String(args.action) as import('./commands/agent.js').AgentAction
      const most = profilesAfter('agent', 'action', action)
      if (most === 1 && profiles.length > 1) throw usageError(`agent ${action} takes at most one profile`)
      if (most === 0 && profiles.length > 0) throw usageError(`agent ${action} takes no profile`)
      run((d) => agentCommand({ action, profiles, verbose: Boolean(args.verbose) }, d))
    }, (y) => y
      .example('awsmfa agent start', 'start it (or see that it runs); env, use and exec then share its sessions')
      .example('awsmfa agent add prod staging', 'one code per role now, none in any terminal for 12 h')))
    .command(command('demo', async () => {
      const { demoCommand } = await import('./commands/demo.js')
      run((d) => demoCommand(d))
    }))
    // The program only explains use and clear (whatever follows use): the shell functions do the work.
    .command(command('use', () => run(needsIntegration), (y) => y
      .strict(false)
      .epilog(`A shell function from the integration (${INTEGRATION_LINE}); it runs awsmfa env --shell <this shell> with these options and evaluates the output.`)))
    .command(command('clear', () => run(needsIntegration), (y) => y.strict(false)))
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

type Handler = (args: ArgumentsCamelCase<Record<string, unknown>>) => void | Promise<void>

/**
 * The command `name` of lib/command-line.ts as yargs takes it: its positionals and options
 * declared from that table, then what only yargs needs (`more`: examples, epilog, parser settings).
 */
function command(name: string, handler: Handler, more: (y: Argv) => Argv = (y) => y): CommandModule {
  const spec = commandSpec(name)
  return {
    command: commandUsage(spec),
    describe: spec.describe,
    builder: (y: Argv) => {
      for (const p of spec.positionals) {
        y.positional(p.name, { type: 'string', describe: p.describe, ...(p.variadic === true ? { array: true } : {}), ...(p.onlyChoices === true ? { choices: (p.choices ?? []).map((c) => c.name) } : {}) })
      }
      for (const [key, option] of Object.entries(spec.options)) {
        y.option(key, { type: option.type, ...(option.alias === undefined ? {} : { alias: option.alias }), ...(option.hidden === true ? { hidden: true } : { describe: option.describe }) })
      }
      return more(y)
    },
    handler,
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

/** A string option's value. yargs turns a repeated option into an array; which was meant is a guess we do not make. */
function optionText(value: unknown): string | undefined {
  if (Array.isArray(value)) throw usageError(`an option was given more than once (${value.map(String).join(', ')})`)
  return value === undefined ? undefined : String(value)
}

function sessionArgs(args: Readonly<Record<string, unknown>>) {
  return {
    profile: String(args.profile),
    tokenCode: optionText(args.tokenCode),
    duration: optionText(args.duration),
    region: optionText(args.region),
    sessionName: optionText(args.sessionName),
    verbose: Boolean(args.verbose),
  }
}

/** `awsmfa init --help`: each shell's one-line install, from the shell modules. */
/** The one --print-… question install.sh asks of `init SHELL`, if any. */
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

function installHelp(): string {
  const lines = INTEGRATED_SHELLS
    .filter((shell) => shell.install !== undefined)
    .map((shell) => `  ${shell.name.padEnd(11)} ${shell.install?.line ?? ''}   (${shell.install?.rcFile ?? ''})`)
  return ['Install with one line in your rc file:', ...lines, 'or source the static file from the shells/ folder, which starts no Node at all.'].join('\n')
}
