import { describe, expect, it } from 'vitest';
import type { FaultName } from './faults.ts';
import type { HttpReply } from './handlers.ts';
import { createReservePacer, delayFor, isUnavailable, PAST_CUTOFF_MS, realWait, serialQueue, SLOW_ANSWER_MS } from './load-faults.ts';
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

  it('past-cutoff: one in 200, past 5 s, and out of p99 reach', () => {
    expect(slowOnes('past-cutoff', 1_000)).toEqual([100, 300, 500, 700, 900]);
    const window = numbers(1, LOAD_WINDOW).map((n) => delayFor(new Set(['past-cutoff']), n));
    expect([percentile(window, 99), Math.max(...window)]).toEqual([0, PAST_CUTOFF_MS]);
    expect(PAST_CUTOFF_MS).toBeGreaterThan(5_000);
  });

  it('errors-5xx: 1 % of requests, the 50th of each hundred', () => {
    expect(numbers(1, 1_000).filter((n) => isUnavailable(new Set(['errors-5xx']), n))).toEqual([50, 150, 250, 350, 450, 550, 650, 750, 850, 950]);
  });

  it('the compliant bank and other faults never wait or refuse', () => {
    const faults = new Set<FaultName>(['one-at-a-time', 'ignore-funds', 'reflect-markup']);
    expect(numbers(1, 1_000).some((n) => delayFor(faults, n) > 0 || isUnavailable(faults, n))).toBe(false);
  });
});

describe('createReservePacer', () => {
  it('past-cutoff: request 100 is decided, then waits 5.2 s, then answers what was decided', async () => {
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
    const replies = [await pace(99, decide(99)), await pace(100, decide(100)), await pace(101, decide(101))];
    expect(events).toEqual(['decide 99', 'decide 100', `wait ${PAST_CUTOFF_MS}`, 'decide 101']);
    expect(replies.map((r) => r.note)).toEqual(['99', '100', '101']);
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
    const job = (name: string, fail = false) => async (): Promise<string> => {
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
      const pending = fetch(`${bank.url}/reserveFunds`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request), signal: abort.signal }).then(
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
    }));

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
