import type { Deps } from '../deps.js'
import { AwsmfaError } from '../errors.js'

/** Placeholder until the demo lands (issue 4). */
export async function demoCommand(_deps: Deps): Promise<number> {
  throw new AwsmfaError('demo is not built yet')
}
