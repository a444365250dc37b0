/**
 * Credentials a `hostile: true` emulator issues. A client that evaluates its output in a shell
 * must bring these through byte-exact; anything that quotes badly runs `touch CANARY`, splits on
 * the newline, or mangles the typographic quotes (PowerShell reads ‘ ’ as quote characters).
 *
 * The access key id stays a well-formed ASIA key. The token holds a newline, which HTTP forbids
 * in a header value, so a hostile session cannot be sent back to the emulator as
 * X-Amz-Security-Token: these values exist to test the export path, not to call STS again.
 */
export const HOSTILE_SECRET =
  "h0st1le/$(touch CANARY)`touch CANARY`'\"\\;&|<>\n%s%%'\\''‘’ $HOME !! café ☃ 🔐"

export const HOSTILE_TOKEN =
  "IQoJ$(touch CANARY);`touch CANARY`|&<>'\\''\"\\\\\n%n%%‘quoted’ ${IFS}*?[a] ~root naïve 🔑 end"
