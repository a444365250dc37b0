/** The DESIGN.md quoting vectors, shared by the exact-string and the real-shell tests. */
export const VECTORS: readonly string[] = [
  "it's",
  '$HOME $(id) `x`',
  "C:\\a\\ \\\\ \\'",
  'line1\nline2',
  'x\n\n',
  'a\rb\tc',
  '\x07\x1b\x7f',
  'café ☃ 🔐',
  'Bob’s ‘key’',
  '*?[a] ~root',
  'a!b !!',
  '-n',
  '=a=',
  '',
]

/** Values that would create ./CANARY in the shell's working directory if any shell ran them. */
export const CANARIES: readonly string[] = [
  '$(touch CANARY)',
  '`touch CANARY`',
  '; touch CANARY',
  "'; touch CANARY; '",
  "\\'; touch CANARY; '",
  '(touch CANARY)',
  "$(New-Item CANARY)",
  "’; New-Item CANARY; ‘",
  "\n touch CANARY\n",
  "'\ntouch CANARY\n'",
  '\\\ntouch CANARY',
]
