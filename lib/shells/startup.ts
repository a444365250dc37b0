import type { Env } from '../deps.js'

/** `$XDG_CONFIG_HOME`, else `~/.config`: where fish and pwsh read their start-up files (an empty value is unset). */
export function configHome(env: Env, home: string): string {
  return env.XDG_CONFIG_HOME || `${home}/.config`
}
