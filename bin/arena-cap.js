import { createRequire } from 'node:module';
import process from 'node:process';

const F_SETFD = 2;

/**
 * Runs this process again, same PID, arguments and standard streams, with glibc capped at two
 * malloc arenas from the start: otherwise each pool thread that renders keeps its own arena of
 * freed blocks, and a cap set once running (mallopt, native-memory.ts) comes after Node's threads
 * made theirs. glibc reads `MALLOC_ARENA_MAX` only when a process starts, hence execve (a child
 * process would hide the server's PID and RSS from whoever watches it); cluster processes, job
 * workers and the tools they run inherit it. Any value already set is kept (and no execve then);
 * nothing happens off Linux, without glibc or without the FFI module.
 */
export function execWithArenaCap() {
  if (process.platform !== 'linux' || process.env.MALLOC_ARENA_MAX) return;
  let libc;
  try {
    const koffi = createRequire(import.meta.url)('koffi');
    const lib = koffi.load('libc.so.6');
    libc = { fcntl: lib.func('int fcntl(int, int, ...)'), execve: lib.func('int execve(const char *, const char **, const char **)') };
  } catch {
    return;
  }
  const env = Object.entries({ ...process.env, MALLOC_ARENA_MAX: '2' }).map(([k, v]) => `${k}=${v}`);
  // Node marks its standard streams close-on-exec: the new image must keep them.
  for (const fd of [0, 1, 2]) libc.fcntl(fd, F_SETFD, 'int', 0);
  libc.execve(process.execPath, [process.execPath, ...process.execArgv, ...process.argv.slice(1), null], [...env, null]);
}
