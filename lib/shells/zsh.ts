import type { Shell } from './types.js'
import { builtinExportShell } from './posix.js'

/** zsh: the same quoting and statements as bash (lib/shells/posix.ts); its own integration files. */
export const zsh: Shell<'zsh'> = builtinExportShell('zsh', {
  integrationFile: 'shells/awsmfa.zsh',
  completionFile: 'completions/_awsmfa',
  install: { line: 'eval "$(awsmfa init zsh)"', rcFile: '~/.zshrc' },
})
