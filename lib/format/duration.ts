/** Times as a person reads them in list, doctor, status and agent status. */

/** `12h`, `1h`, `1h30m`, `45m`: a session length as a person reads it. */
export function shortDuration(seconds: number): string {
  const hours = Math.floor(seconds / 3600)
  const minutes = Math.floor((seconds % 3600) / 60)
  if (hours === 0) return `${minutes}m`
  return minutes === 0 ? `${hours}h` : `${hours}h${String(minutes).padStart(2, '0')}m`
}

/** `19:48` today, else `2026-11-24 07:31`, in local time. */
export function localClock(date: Date, nowMs: number): string {
  const pad = (n: number): string => String(n).padStart(2, '0')
  const clock = `${pad(date.getHours())}:${pad(date.getMinutes())}`
  const now = new Date(nowMs)
  const sameDay = now.getFullYear() === date.getFullYear() && now.getMonth() === date.getMonth() && now.getDate() === date.getDate()
  return sameDay ? clock : `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${clock}`
}

/** `2026-11-23 19:48:00 +01:00`: local time with its offset, unambiguous. */
export function localTimestamp(date: Date): string {
  const pad = (n: number): string => String(Math.abs(n)).padStart(2, '0')
  const offset = -date.getTimezoneOffset()
  const sign = offset < 0 ? '-' : '+'
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())} ${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`
  )
}
