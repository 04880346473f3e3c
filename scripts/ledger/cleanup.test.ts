import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { parse } from 'jsonc-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { buildPlan, joinUrl } from '../config/plan.ts';
import { ConfigSchema, type ConfigInput } from '../config/schema.ts';
import { starterConfigText } from '../config/starter.ts';
import { cleanup } from './cleanup.ts';
import { openReservations, type LedgerRow } from '../../checks/ledger.ts';
import { ledgerRow } from '../../checks/__fixtures__/ledger-row.ts';

const basePlan = buildPlan(ConfigSchema.parse(parse(starterConfigText()) as ConfigInput), { suites: ['safety'], runId: 'r1', env: {} }).plan;
const planAt = (baseUrl: string, timeoutMs = 300) => ({
  ...basePlan,
  target: { ...basePlan.target, transactResultUrl: joinUrl(baseUrl, '/transactResult'), timeoutMs },
});

const granted = (raas: string): LedgerRow => ledgerRow({ raasTxnRef: raas });
const open = (n: number) => openReservations(Array.from({ length: n }, (_, i) => granted(`r${i}`)));

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
});

/** A transactResult endpoint answering each request with the next status of `statuses(n)`; counts requests. */
async function bankAnswering(status: (request: number) => number): Promise<{ url: string; requests: () => number }> {
  let n = 0;
  const server = createServer((req, res) => {
    n += 1;
    req.resume();
    req.on('end', () => res.writeHead(status(n), { 'Content-Type': 'application/json' }).end('{"responseCode":"0000"}'));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, requests: () => n };
}

async function closedPort(): Promise<string> {
  const server = createTcpServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

async function run(url: string, reservations: number, extra: { stop?: () => boolean; timeoutMs?: number } = {}) {
  const rows: LedgerRow[] = [];
  const log: string[] = [];
  const outcome = await cleanup(open(reservations), {
    plan: planAt(url, extra.timeoutMs),
    secrets: { authCodes: {} },
    backoffMs: 1,
    record: (r) => rows.push(r),
    log: (l) => log.push(l),
    ...(extra.stop ? { stop: extra.stop } : {}),
  });
  return { outcome, rows, log };
}

describe('cleanup: bounded whatever the bank does (real HTTP)', () => {
  it('a compliant bank: one acknowledged request per reservation', async () => {
    const bank = await bankAnswering(() => 200);
    const { outcome, rows } = await run(bank.url, 5);
    expect(outcome).toEqual({ open: 0 });
    expect(rows.map((r) => r.httpStatus)).toEqual([200, 200, 200, 200, 200]);
  });

  it('nothing listens: gives up after 3 connection attempts, not 4 per reservation, and says why', async () => {
    const { outcome, rows } = await run(await closedPort(), 18);
    expect(rows).toHaveLength(3);
    expect(outcome).toEqual({ open: 18, gaveUp: 'the bank does not answer (connection refused (nothing listens there))' });
  });

  it('a bank that accepts connections but never answers: 3 timeouts, then gives up', async () => {
    const held: Socket[] = [];
    const server = createTcpServer((s) => held.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { outcome, rows } = await run(`http://127.0.0.1:${(server.address() as { port: number }).port}`, 10, { timeoutMs: 100 });
      expect(rows.map((r) => r.httpStatus)).toEqual([0, 0, 0]);
      expect(outcome.open).toBe(10);
      expect(outcome.gaveUp).toMatch(/connected, but no answer within 100 ms/);
    } finally {
      for (const s of held) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('HTTP 500 is retried in later rounds (4 in all), then left open', async () => {
    const bank = await bankAnswering(() => 500);
    const { outcome, rows } = await run(bank.url, 2);
    expect(bank.requests()).toBe(8);
    expect(rows).toHaveLength(8);
    expect(outcome).toEqual({ open: 2 });
  });

  it('a 500 that turns into 200 on the next round settles', async () => {
    const bank = await bankAnswering((n) => (n <= 2 ? 500 : 200));
    const { outcome, rows } = await run(bank.url, 2);
    expect(rows.map((r) => r.httpStatus)).toEqual([500, 500, 200, 200]);
    expect(outcome).toEqual({ open: 0 });
  });

  it('a 4xx is not retried: it stays open for the judge and reconcile', async () => {
    const bank = await bankAnswering(() => 404);
    const { outcome } = await run(bank.url, 3);
    expect(bank.requests()).toBe(3);
    expect(outcome).toEqual({ open: 3 });
  });

  it('a bank that dies mid-cleanup: the answered ones are settled, the rest left after 3 failures', async () => {
    const bank = await bankAnswering(() => 200);
    let calls = 0;
    const server = servers[0];
    const rows: LedgerRow[] = [];
    const outcome = await cleanup(open(10), {
      plan: planAt(bank.url),
      secrets: { authCodes: {} },
      backoffMs: 1,
      record(r) {
        rows.push(r);
        calls += 1;
        // After 4 acknowledged outcomes the bank goes away.
        if (calls === 4) server?.close();
        if (calls === 4) server?.closeAllConnections();
      },
      log: () => undefined,
    });
    expect(rows.filter((r) => r.httpStatus === 200)).toHaveLength(4);
    // Round 1: 3 failures in a row end the round; round 2 gets no answer at all: the cleanup gives up.
    expect(rows.filter((r) => r.httpStatus === 0)).toHaveLength(6);
    expect(outcome.open).toBe(6);
    expect(outcome.gaveUp).toMatch(/does not answer/);
  });

  it('stop() ends the cleanup between requests and counts what is left', async () => {
    const bank = await bankAnswering(() => 200);
    let asked = 0;
    const { outcome, rows } = await run(bank.url, 5, { stop: () => (asked += 1) > 2 });
    expect(rows).toHaveLength(2);
    expect(outcome).toEqual({ open: 3, gaveUp: 'the cleanup was interrupted' });
  });
});
