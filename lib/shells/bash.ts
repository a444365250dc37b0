import type { ShellSyntax } from './types.js'
import { builtinExportShell, posixStartup } from './posix.js'

/**
 * bash: `'…'`, or `$'…'` when a value holds a control character (lib/shells/posix.ts). The
 * assignment word is fully quoted, so it does not matter that `builtin export` may not get
 * declaration-builtin parsing.
 */
export const bash: ShellSyntax<'bash'> = builtinExportShell('bash', {
  integrationFile: 'shells/awsmfa.bash',
  completionFile: 'completions/awsmfa.bash',
  install: { line: 'eval "$(awsmfa init bash)"', rcFile: '~/.bashrc' },
  startup: posixStartup('bash', (_env, home) => `${home}/.bashrc`),
})
