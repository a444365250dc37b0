/** Joins two sockets both ways, the bytes untouched; an error on either side ends both. */
import type { Socket } from 'node:net'

export function splice(a: Socket, b: Socket): void {
  a.pipe(b).pipe(a)
  const end = (): void => {
    a.destroy()
    b.destroy()
  }
  a.on('error', end)
  b.on('error', end)
}
