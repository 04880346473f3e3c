import type { ResponseKind, ResponseMix } from '../../checks/load-report.ts';
import type { IterationRecord } from '../../checks/load-records.ts';
import { Int32Column, Uint8Column } from './column.ts';
import { isErrorStatus } from './samples.ts';

// How the bank answered reserveFunds under load, from the load suite's per-iteration records
// (checks/load-records.ts). This is the one place the code mix is computed; when the records change shape,
// only `add` changes.
//
// Every reserveFunds sent for a funded load account is one of three kinds, never two:
// - error: no answer (transport error, status 0) or a 5xx: LD-ERRORS' business, as in k6's samples;
// - granted: any other answer with responseCode 0000;
// - declined: any other answer, whatever its code (2060, 2090, 2010, …) or with none: LD-DECLINES.
// A bank that sheds load by refusing fast is not fast: its declines are counted, not hidden among the
// latencies.

export type IterationAnswer = Pick<IterationRecord, 'status' | 'code' | 'endMs'>;

export function responseKind(status: number, code: string): ResponseKind {
  if (isErrorStatus(String(status))) return 'error';
  return code === '0000' ? 'granted' : 'declined';
}

const DECLINED = 1;
const ANSWERED = 2;

/** Answer times kept elsewhere, one per answer added, in the same order (the records' reserveFunds column). */
export interface SharedTimes {
  times: { view(): Int32Array };
  baseEpochMs(): number;
}

export class ResponseCounter {
  readonly #rows = new Map<string, { kind: ResponseKind; status: number; code: string; count: number }>();
  /** Per iteration: when its answer came (ms after #base), and whether it was an answer and a decline. */
  readonly #times: Int32Column | undefined;
  readonly #flags: Uint8Column;
  readonly #shared: SharedTimes | undefined;
  /** Epoch ms the times count from: the first answer's (whole milliseconds, like the records'). */
  #base = Number.NaN;
  #reserves = 0;
  #declines = 0;

  /** `capacity`: iterations expected (the planned ones), so the columns need not grow. `shared`: the answers' times, when they are kept elsewhere. */
  constructor(capacity?: number, shared?: SharedTimes) {
    this.#shared = shared;
    this.#times = shared ? undefined : new Int32Column(capacity);
    this.#flags = new Uint8Column(capacity);
  }

  #view(): { times: Int32Array; base: number } {
    return this.#shared
      ? { times: this.#shared.times.view(), base: this.#shared.baseEpochMs() }
      : { times: this.#times?.view() ?? new Int32Array(0), base: this.#base };
  }

  add(e: IterationAnswer): void {
    const kind = responseKind(e.status, e.code);
    const key = `${e.status} ${e.code}`;
    const row = this.#rows.get(key);
    if (row) row.count += 1;
    else this.#rows.set(key, { kind, status: e.status, code: e.code, count: 1 });
    this.#reserves += 1;
    if (kind === 'declined') this.#declines += 1;
    if (this.#times) {
      if (Number.isNaN(this.#base)) this.#base = Math.floor(e.endMs);
      this.#times.push(Math.round(e.endMs - this.#base));
    }
    this.#flags.push((kind === 'declined' ? DECLINED : 0) | (kind === 'error' ? 0 : ANSWERED));
  }

  /** reserveFunds recorded (every kind). */
  get reserves(): number {
    return this.#reserves;
  }

  get declines(): number {
    return this.#declines;
  }

  /** Declines per reserveFunds sent (0 without any). */
  get declineRate(): number {
    return this.#reserves === 0 ? 0 : this.#declines / this.#reserves;
  }

  /**
   * The mix for result.json. `t0EpochMs` is the timeline's t = 0 (the earliest k6 sample) and `seconds` its
   * length, so second t here is second t of the latency timeline; answers outside it go to the nearest end.
   */
  summary(t0EpochMs: number, seconds: number): ResponseMix {
    const length = Math.max(0, seconds);
    const answers = new Uint32Array(length);
    const declines = new Uint32Array(length);
    const { times, base } = this.#view();
    const flags = this.#flags.view();
    if (length > 0 && Number.isFinite(t0EpochMs)) {
      for (let i = 0; i < flags.length; i++) {
        const at = base + (times[i] ?? 0);
        const flag = flags[i] ?? 0;
        if ((flag & ANSWERED) === 0) continue;
        const s = Math.min(length - 1, Math.max(0, Math.floor((at - t0EpochMs) / 1000)));
        answers[s] = (answers[s] ?? 0) + 1;
        if (flag & DECLINED) declines[s] = (declines[s] ?? 0) + 1;
      }
    }
    const order: Record<ResponseKind, number> = { granted: 0, declined: 1, error: 2 };
    const codes = [...this.#rows.values()].sort(
      (a, b) => order[a.kind] - order[b.kind] || b.count - a.count || a.code.localeCompare(b.code) || a.status - b.status,
    );
    return {
      reserves: this.#reserves,
      codes: codes.map((r) => ({ ...r })),
      perSecond: Array.from({ length }, (_, t) => ({ t, answers: answers[t] ?? 0, declines: declines[t] ?? 0 })),
    };
  }
}
