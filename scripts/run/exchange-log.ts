import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGzip, gunzipSync } from 'node:zlib';
import type { ClockRead, ExchangeRecord } from '../../checks/events.ts';
import type { Scrubber } from '../util/scrub.ts';

/** Every exchange of the functional suites and every clock read, one JSON line each, gzipped. */
export const EXCHANGES_FILE = 'exchanges.ndjson.gz';

export type RecordLine = ExchangeRecord | ClockRead;

export const exchangesPath = (dir: string) => join(dir, EXCHANGES_FILE);

/**
 * DIR/exchanges.ndjson.gz as the run goes: what `bankcert verify` replays the functional suites against.
 * Lines pass the scrubber like every other byte bankcert writes (k6 has redacted them already).
 */
export class ExchangeLog {
  private readonly gzip = createGzip();
  private readonly finished: Promise<void>;

  constructor(
    path: string,
    private readonly scrubber: Scrubber,
  ) {
    const file = createWriteStream(path);
    this.finished = new Promise((resolve, reject) => {
      file.on('close', () => resolve());
      file.on('error', reject);
      this.gzip.on('error', reject);
    });
    this.gzip.pipe(file);
  }

  add(line: RecordLine): void {
    this.gzip.write(`${this.scrubber.apply(JSON.stringify(line))}\n`);
  }

  /** Resolves once every line is on disk. */
  close(): Promise<void> {
    this.gzip.end();
    return this.finished;
  }
}

/** The records of a run's folder, in the order they were made (an empty list when the file has none). */
export function readExchanges(path: string): RecordLine[] {
  const text = gunzipSync(readFileSync(path)).toString('utf8');
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as RecordLine);
}
