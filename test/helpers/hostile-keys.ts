/**
 * The shell-hostile secret and token that tests hand the emulator (`startEmulator({ hostile:
 * HOSTILE_KEYS })`). A client that evaluates its output in a shell must bring these through
 * byte-exact; anything that quotes badly runs `touch CANARY`, splits on the newline, or mangles the
 * typographic quotes (PowerShell reads ‘ ’ as quote characters).
 *
 * Test data, not emulator code: `awsmfa demo` bundles the emulator, and these strings must not ship
 * (test/packaging/no-test-data.test.ts looks for HOSTILE_MARKER in dist/).
 *
 * The token holds a newline, which HTTP forbids in a header value, so a hostile session cannot be
 * sent back to the emulator as X-Amz-Security-Token: these values exist to test the export path,
 * not to call STS again.
 */
import type { SessionSecrets } from '../../lib/emulator/index.js'

/** A string found only in the hostile secret: its presence in dist/ means test data shipped. */
export const HOSTILE_MARKER = 'h0st1le'

export const HOSTILE_SECRET =
  "h0st1le/$(touch CANARY)`touch CANARY`'\"\\;&|<>\n%s%%'\\''‘’ $HOME !! café ☃ 🔐"

export const HOSTILE_TOKEN =
  "IQoJ$(touch CANARY);`touch CANARY`|&<>'\\''\"\\\\\n%n%%‘quoted’ ${IFS}*?[a] ~root naïve 🔑 end"

export const HOSTILE_KEYS: SessionSecrets = { secretAccessKey: HOSTILE_SECRET, sessionToken: HOSTILE_TOKEN }
