import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

// Line splitting on bytes instead of node:readline. Measured on this project's CI-sized machine with
// 1,000,000 k6 lines (337 MB): readline needed 3.6 s just to hand out the lines, because it decodes the whole
// stream as UTF-8 first; splitting the raw chunks on '\n' and decoding each line on its own takes 0.8 s.
// Splitting on the byte 0x0A is safe for UTF-8: that byte never occurs inside a multi-byte character.

/** A longer "line" is not k6 output (or the file is corrupt): refuse it rather than buffer without bound. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

/** Streams `file` (gunzipped when it ends in .gz) and calls onLine per line, without the line break. */
export function readLines(file: string, onLine: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const raw = createReadStream(file, { highWaterMark: 1 << 20 });
    let input: Readable = raw;
    raw.on('error', reject);
    if (file.endsWith('.gz')) {
      const gunzip = createGunzip();
      gunzip.on('error', (error) => {
        raw.destroy(); // pipe() does not close the source when the gunzip fails
        reject(error);
      });
      input = raw.pipe(gunzip);
    }
    const splitter = lineSplitter(onLine);
    input.on('data', (chunk: Buffer) => {
      try {
        splitter.push(chunk);
      } catch (error) {
        raw.destroy();
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    input.on('end', () => {
      try {
        splitter.end();
        resolve();
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}

/** Incremental splitter: holds at most one partial line between chunks. Exported for tests. */
export function lineSplitter(onLine: (line: string) => void): { push(chunk: Buffer): void; end(): void } {
  let rest: Buffer | null = null;
  const emit = (buffer: Buffer, start: number, end: number) => {
    // CRLF files (written on Windows, or edited) split the same way.
    const stop = end > start && buffer[end - 1] === 13 ? end - 1 : end;
    onLine(buffer.toString('utf8', start, stop));
  };
  return {
    push(chunk) {
      const buffer = rest ? Buffer.concat([rest, chunk]) : chunk;
      let start = 0;
      for (let newline = buffer.indexOf(10); newline >= 0; newline = buffer.indexOf(10, start)) {
        emit(buffer, start, newline);
        start = newline + 1;
      }
      rest = start < buffer.length ? buffer.subarray(start) : null;
      if (rest && rest.length > MAX_LINE_BYTES) throw new Error(`a line longer than ${MAX_LINE_BYTES} bytes: not k6 JSON output`);
    },
    end() {
      if (rest) emit(rest, 0, rest.length); // the last line may lack its newline
      rest = null;
    },
  };
}
