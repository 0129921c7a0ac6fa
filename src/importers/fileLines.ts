import { closeSync, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { TackError } from '../model/errors.js';

const CHUNK = 1 << 20;

/**
 * The lines of a regular file (split at `\n`, as `text.split('\n')` would), read a chunk at a
 * time each time they are iterated: a source too large to hold is read again rather than
 * kept. A `\n` byte is never inside a UTF-8 sequence, so each line decodes on its own. The
 * readings must agree, so a file that changes between or during them is an error.
 */
export function fileLines(path: string): Iterable<string> {
  const first = statSync(path);
  const same = (now: Stats) => {
    if (now.size !== first.size || now.mtimeMs !== first.mtimeMs || now.ino !== first.ino)
      throw new TackError(
        'conflict',
        `${path} changed while it was being read; nothing was written, run the command again`,
        {
          path,
        },
      );
  };
  return {
    *[Symbol.iterator]() {
      const fd = openSync(path, 'r');
      try {
        same(fstatSync(fd));
        const buf = Buffer.allocUnsafe(CHUNK);
        let carry: Buffer | null = null;
        for (;;) {
          const got = readSync(fd, buf, 0, CHUNK, null);
          if (got === 0) break;
          const chunk: Buffer = carry ? Buffer.concat([carry, buf.subarray(0, got)]) : buf.subarray(0, got);
          let start = 0;
          for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
            yield chunk.toString('utf8', start, nl);
            start = nl + 1;
          }
          // The rest of the line continues in the next chunk: copied, since `buf` is reused.
          carry = Buffer.from(chunk.subarray(start));
        }
        same(fstatSync(fd));
        yield carry ? carry.toString('utf8') : '';
      } finally {
        closeSync(fd);
      }
    },
  };
}
