import { describe, expect, it } from 'vitest';
import type { FaultName } from './faults.ts';
import type { HttpReply } from './handlers.ts';
import {
  createReservePacer,
  delayFor,
  isUnavailable,
  loadShedder,
  PAST_CUTOFF_MS,
  realWait,
  serialQueue,
  SHED_ABOVE_PER_S,
  SLOW_ANSWER_MS,
} from './load-faults.ts';
import { LOAD_WINDOW, percentile } from './load-probes.ts';
import type { RunningBank } from './server.ts';
import { available, FUNDED, isHeld, post, reserveRequest, transactRequest, WaitLog, withBank } from './test-support.ts';

const funded = FUNDED.sourceIdentifier;
const numbers = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('load fault schedule', () => {
  const slowOnes = (fault: FaultName, to: number): number[] => numbers(1, to).filter((n) => delayFor(new Set([fault]), n) > 0);

  it('slow-every-answer delays every request', () => {
    expect(slowOnes('slow-every-answer', 1_000)).toHaveLength(1_000);
    expect(delayFor(new Set(['slow-every-answer']), 7)).toBe(SLOW_ANSWER_MS);
  });

  it('slow-tail: exactly 3 of every 100, so p95 is fast and p99 slow', () => {
    expect(slowOnes('slow-tail', 300)).toEqual([1, 2, 100, 101, 102, 200, 201, 202, 300]);
    for (const start of [1, 37, 250]) {
      const window = numbers(start, start + 99).map((n) => delayFor(new Set(['slow-tail']), n));
      expect(window.filter((ms) => ms > 0)).toHaveLength(3);
      expect([percentile(window, 95), percentile(window, 99)]).toEqual([0, SLOW_ANSWER_MS]);
    }
  });

  it('past-cutoff: one in 500, past 5 s, and out of p99 reach', () => {
    expect(slowOnes('past-cutoff', 2_000)).toEqual([250, 750, 1250, 1750]);
    const window = numbers(1, LOAD_WINDOW).map((n) => delayFor(new Set(['past-cutoff']), n));
    expect([percentile(window, 99), Math.max(...window)]).toEqual([0, PAST_CUTOFF_MS]);
    expect(PAST_CUTOFF_MS).toBeGreaterThan(5_000);
  });

  it('errors-5xx: 1 % of requests, the 50th of each hundred', () => {
    expect(numbers(1, 1_000).filter((n) => isUnavailable(new Set(['errors-5xx']), n))).toEqual([50, 150, 250, 350, 450, 550, 650, 750, 850, 950]);
  });

  it('shed-load: busy from the 16th arrival within a second; then 2 of every 5 are shed, by count', () => {
    let now = 0;
    const shed = loadShedder(() => now);
    const decisions = numbers(1, 30).map(() => shed());
    expect(decisions.slice(0, SHED_ABOVE_PER_S)).toEqual(Array(SHED_ABOVE_PER_S).fill(false));
    // Busy arrivals 1…15: the 3rd, 5th, 8th, 10th, 13th and 15th are shed (2 of every 5).
    expect(
      decisions
        .slice(SHED_ABOVE_PER_S)
        .map((d, i) => (d ? i + 1 : 0))
        .filter(Boolean),
    ).toEqual([3, 5, 8, 10, 13, 15]);
    // A second later the last 15 arrivals are out of the window: not busy until 15 more arrive.
    now = 1_000;
    expect(numbers(1, SHED_ABOVE_PER_S).map(() => shed())).toEqual(Array(SHED_ABOVE_PER_S).fill(false));
    expect(numbers(1, 3).map(() => shed())).toEqual([false, false, true]);
  });

  it('shed-load: one arrival every 67 ms (16 span 1005 ms) is never busy; every 66 ms (990 ms) is, from the 16th', () => {
    const run = (gapMs: number): boolean[] => {
      let now = 0;
      const shed = loadShedder(() => now);
      return numbers(0, 299).map((i) => {
        now = i * gapMs;
        return shed();
      });
    };
    expect(run(67).some(Boolean)).toBe(false);
    const busy = run(66);
    expect(busy.indexOf(true)).toBe(SHED_ABOVE_PER_S + 2);
    expect(busy.filter(Boolean)).toHaveLength(Math.floor(((300 - SHED_ABOVE_PER_S) * 2) / 5));
  });

  it('the compliant bank and other faults never wait or refuse', () => {
    const faults = new Set<FaultName>(['one-at-a-time', 'ignore-funds', 'reflect-markup']);
    expect(numbers(1, 1_000).some((n) => delayFor(faults, n) > 0 || isUnavailable(faults, n))).toBe(false);
  });
});

describe('createReservePacer', () => {
  it('past-cutoff: request 250 is decided, then waits 5.2 s, then answers what was decided', async () => {
    const events: string[] = [];
    const pace = createReservePacer(new Set(['past-cutoff']), {
      serviceMs: 20,
      wait: async (ms) => {
        events.push(`wait ${ms}`);
      },
    });
    const decide = (n: number) => (): HttpReply => {
      events.push(`decide ${n}`);
      return { status: 200, note: String(n) };
    };
    const replies = [await pace(249, decide(249)), await pace(250, decide(250)), await pace(251, decide(251))];
    expect(events).toEqual(['decide 249', 'decide 250', `wait ${PAST_CUTOFF_MS}`, 'decide 251']);
    expect(replies.map((r) => r.note)).toEqual(['249', '250', '251']);
  });

  it('shed-load: a shed request is answered 2060 at once, never decided, never waits', async () => {
    const events: string[] = [];
    const pace = createReservePacer(new Set(['shed-load']), { serviceMs: 20, wait: async (ms) => void events.push(`wait ${ms}`), now: () => 0 });
    const replies: HttpReply[] = [];
    for (let n = 1; n <= SHED_ABOVE_PER_S + 3; n++) {
      replies.push(
        await pace(n, () => {
          events.push(`decide ${n}`);
          return { status: 200, body: { responseCode: '0000' } };
        }),
      );
    }
    expect(replies.map((r) => r.body?.['responseCode'])).toEqual([...Array(SHED_ABOVE_PER_S + 2).fill('0000'), '2060']);
    expect(replies.at(-1)?.status).toBe(200);
    expect(events).toEqual(numbers(1, SHED_ABOVE_PER_S + 2).map((n) => `decide ${n}`));
  });

  it('one-at-a-time: each request is decided and then served its service time before the next starts', async () => {
    const events: string[] = [];
    const pace = createReservePacer(new Set(['one-at-a-time']), {
      serviceMs: 15,
      wait: async (ms) => {
        events.push(`wait ${ms}`);
        await new Promise((resolve) => setTimeout(resolve, 0));
      },
    });
    const decide = (n: number) => (): HttpReply => {
      events.push(`decide ${n}`);
      return { status: 200 };
    };
    await Promise.all([1, 2, 3].map((n) => pace(n, decide(n))));
    expect(events).toEqual(['decide 1', 'wait 15', 'decide 2', 'wait 15', 'decide 3', 'wait 15']);
  });
});

describe('serialQueue', () => {
  it('runs jobs in arrival order, one at a time, and carries on after a failure', async () => {
    const queue = serialQueue();
    const events: string[] = [];
    const job =
      (name: string, fail = false) =>
      async (): Promise<string> => {
        events.push(`start ${name}`);
        await new Promise((resolve) => setTimeout(resolve, 1));
        events.push(`end ${name}`);
        if (fail) throw new Error(`${name} failed`);
        return name;
      };
    const results = await Promise.allSettled([queue(job('a')), queue(job('b', true)), queue(job('c'))]);
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});

type Seen = { n: number; status: number; waited: number };

/** reserveFunds number first…last in sequence; each with its status and the waits the bank asked for while serving it. */
async function window(bank: RunningBank, waits: WaitLog, first: number, last: number): Promise<Seen[]> {
  const seen = [];
  for (let n = first; n <= last; n++) {
    const asked = waits.asked.length;
    const answer = await post(bank, '/reserveFunds', reserveRequest({ reserveAmount: 500 }));
    seen.push({ n, status: answer.status, waited: waits.asked.slice(asked).reduce((a, b) => a + b, 0) });
  }
  return seen;
}

/** Moves the bank's request count on by `count`, 25 at a time; returns the distinct statuses. */
async function advance(bank: RunningBank, count: number): Promise<number[]> {
  const statuses = new Set<number>();
  for (let sent = 0; sent < count; sent += 25) {
    const batch = Array.from({ length: Math.min(25, count - sent) }, () => post(bank, '/reserveFunds', reserveRequest({ reserveAmount: 500 })));
    for (const answer of await Promise.all(batch)) statuses.add(answer.status);
  }
  return [...statuses];
}

const expectedWindow = (faults: ReadonlySet<FaultName>, first: number, last: number): Seen[] =>
  numbers(first, last).map((n) => ({ n, status: isUnavailable(faults, n) ? 503 : 200, waited: isUnavailable(faults, n) ? 0 : delayFor(faults, n) }));

// The pacer itself is checked over whole windows in faults.test.ts; here the server's counting and wiring.
describe('the server applies the load faults (recorded waits)', () => {
  const cases: Array<[FaultName | 'compliant', number]> = [
    ['compliant', 12],
    ['slow-every-answer', 4],
    ['slow-tail', 4],
    ['one-at-a-time', 4],
  ];

  it.concurrent.for(cases)('%s: reserveFunds n = 1…%i waits what the schedule says', async ([name, count], { expect }) => {
    const waits = new WaitLog();
    const faults = new Set<FaultName>(name === 'compliant' ? [] : [name]);
    const seen = await withBank([...faults], (bank) => window(bank, waits, 1, count), { wait: waits.wait, serviceMs: 7 });
    const service = name === 'one-at-a-time' ? 7 : 0;
    expect(seen).toEqual(expectedWindow(faults, 1, count).map((s) => ({ ...s, waited: s.waited + service })));
  });

  it.concurrent('errors-5xx: the 50th is refused with 503 and a 2090 body, reserving nothing; the retry reserves once', ({ expect }) => {
    const waits = new WaitLog();
    return withBank(
      ['errors-5xx'],
      async (bank) => {
        expect(await advance(bank, 49)).toEqual([200]);
        const before = available(bank, funded);
        const request = reserveRequest({ reserveAmount: 800 });
        const fiftieth = await post(bank, '/reserveFunds', request);
        expect([fiftieth.status, fiftieth.json]).toEqual([503, { responseCode: '2090', message: 'service unavailable' }]);
        expect(available(bank, funded)).toBe(before);
        // Nothing was remembered for that raasTxnRef, so the platform's retry (request 51) reserves once.
        const retry = await post(bank, '/reserveFunds', request);
        expect(retry.json?.['responseCode']).toBe('0000');
        expect(before - available(bank, funded)).toBe(800);
        expect(waits.asked).toEqual([]);
      },
      { wait: waits.wait },
    );
  });

  it.concurrent('shed-load: under a burst, the shed reserveFunds get 2060 and hold nothing; the others reserve as usual', ({ expect }) => {
    return withBank(
      ['shed-load'],
      async (bank) => {
        const before = available(bank, funded);
        const answers = [];
        for (let i = 0; i < 20; i++) answers.push(await post(bank, '/reserveFunds', reserveRequest({ reserveAmount: 700 })));
        const codes = answers.map((a) => [a.status, a.json?.['responseCode']]);
        expect(codes.filter(([, c]) => c === '2060')).toEqual([
          [200, '2060'],
          [200, '2060'],
        ]);
        expect(codes.filter(([, c]) => c === '0000')).toHaveLength(18);
        expect(answers.filter((a) => a.json?.['responseCode'] === '2060').every((a) => a.json?.['reserveFundsTxnRef'] === undefined)).toBe(true);
        expect(before - available(bank, funded)).toBe(18 * 700);
        expect(bank.state().reservations.held).toBe(18);
      },
      { now: () => 0 },
    );
  });

  // The platform gives up at 5 s and cancels by raasTxnRef: it must find the reservation while the answer waits.
  it.concurrent('a withheld answer was decided first: the platform can cancel it during the wait, then it is answered 0000', ({ expect }) => {
    let release = (): void => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const asked: number[] = [];
    const wait = (ms: number): Promise<void> => {
      asked.push(ms);
      return gate;
    };
    return withBank(
      ['slow-every-answer'],
      async (bank) => {
        const request = reserveRequest({ reserveAmount: 900 });
        const pending = post(bank, '/reserveFunds', request);
        await expect.poll(() => asked).toEqual([SLOW_ANSWER_MS]);
        expect(bank.state().held.some((h) => h.raasTxnRef === request.raasTxnRef)).toBe(true);
        const cancel = await post(bank, '/transactResult', transactRequest(request, '', 2239));
        expect(cancel.status).toBe(200);
        release();
        const answer = await pending;
        expect([answer.status, answer.json?.['responseCode']]).toEqual([200, '0000']);
        expect(isHeld(bank, String(answer.json?.['reserveFundsTxnRef']), request.raasTxnRef)).toBe(false);
      },
      { wait },
    );
  });

  it.concurrent('transactResult never waits', ({ expect }) => {
    const waits = new WaitLog();
    return withBank(
      ['slow-every-answer', 'one-at-a-time'],
      async (bank) => {
        const request = reserveRequest();
        const ref = String((await post(bank, '/reserveFunds', request)).json?.['reserveFundsTxnRef']);
        const asked = waits.asked.length;
        expect((await post(bank, '/transactResult', transactRequest(request, ref, 0))).status).toBe(200);
        expect((await post(bank, '/transactResult', transactRequest(request, 'unknown', 0))).status).toBe(404);
        expect(waits.asked.length).toBe(asked);
      },
      { wait: waits.wait },
    );
  });
});

// Real timers, kept short: the 2.1 s and 5.2 s waits themselves are only ever recorded.
describe('load faults in real time', () => {
  it('realWait is a timer of the asked length', async () => {
    const started = performance.now();
    await realWait(30);
    // Node may fire a timer up to a millisecond early by performance.now().
    expect(performance.now() - started).toBeGreaterThanOrEqual(29);
  });

  it.concurrent('slow-every-answer: while an answer is withheld the reservation exists and the bank serves everything else', ({ expect }) =>
    withBank(['slow-every-answer'], async (bank) => {
      const request = reserveRequest();
      const abort = new AbortController();
      let answered = false;
      const pending = fetch(`${bank.url}/reserveFunds`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request),
        signal: abort.signal,
      }).then(
        () => (answered = true),
        () => false,
      );
      await expect.poll(() => bank.state().reservations.held).toBe(1);
      expect((await fetch(`${bank.url}/health`)).status).toBe(200);
      expect((await post(bank, '/transactResult', transactRequest(request, 'unknown', 0))).status).toBe(404);
      expect(answered).toBe(false);
      // Hanging up frees the connection, so close() need not wait out the 2.1 s.
      abort.abort();
      await pending;
    }),
  );

  it.concurrent('one-at-a-time: request k of a burst waits for the k−1 before it; transactResult skips the queue', ({ expect }) => {
    const serviceMs = 25;
    const burst = 6;
    return withBank(
      ['one-at-a-time'],
      async (bank) => {
        const started = performance.now();
        const reserves = Array.from({ length: burst }, () => post(bank, '/reserveFunds', reserveRequest()).then(() => performance.now() - started));
        const transact = post(bank, '/transactResult', transactRequest(reserveRequest(), 'unknown', 0)).then(() => performance.now() - started);
        const done = (await Promise.all(reserves)).sort((a, b) => a - b);
        done.forEach((ms, k) => expect(ms).toBeGreaterThanOrEqual((k + 1) * serviceMs - 1));
        expect(await transact).toBeLessThan(done.at(-1) ?? 0);
        expect(bank.state().reservations.held).toBe(burst);
      },
      { serviceMs },
    );
  });
});
