import type { Deps } from '../deps.js'
import { AwsmfaError } from '../errors.js'

/** Placeholder until the daily-workflow commands land (issue 4). */
export async function doctorCommand(_options: Record<string, unknown>, _deps: Deps): Promise<number> {
  throw new AwsmfaError('doctor is not built yet')
}
