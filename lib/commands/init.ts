import type { Deps } from '../deps.js'
import { AwsmfaError } from '../errors.js'

/** Placeholder until the shell integration lands (issue 3). */
export async function initCommand(_options: { shell: string }, _deps: Deps): Promise<number> {
  throw new AwsmfaError('init is not built yet')
}
