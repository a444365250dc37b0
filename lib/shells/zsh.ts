import type { ShellSyntax } from './types.js'
import { builtinExportShell, posixStartup } from './posix.js'

/** zsh: the same quoting and statements as bash (lib/shells/posix.ts); its own integration files. */
export const zsh: ShellSyntax<'zsh'> = builtinExportShell('zsh', {
  integrationFile: 'shells/awsmfa.zsh',
  completionFile: 'completions/_awsmfa',
  install: { line: 'eval "$(awsmfa init zsh)"', rcFile: '~/.zshrc' },
  // zsh reads its start-up files from $ZDOTDIR when that is set.
  startup: posixStartup('zsh', (env, home) => `${env.ZDOTDIR || home}/.zshrc`),
})
