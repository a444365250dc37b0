import type { Deps } from './deps.js'
import { VERSION } from './version.js'

/**
 * The two commands that run in every new terminal or script — `--version` and `init <shell>` —
 * answered without loading yargs (about a third of start-up). Anything else, including any
 * extra argument, returns undefined and goes through the full CLI.
 */
export async function fastPath(argv: readonly string[], deps: Deps): Promise<number | undefined> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    deps.stdout.write(`${VERSION}\n`)
    return 0
  }
  if (argv.length === 2 && argv[0] === 'init' && /^(bash|zsh|fish|powershell|pwsh)$/.test(argv[1] ?? '')) {
    const { initCommand } = await import('./commands/init.js')
    return initCommand({ shell: argv[1] ?? '' }, deps)
  }
  return undefined
}
