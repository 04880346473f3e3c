import { randomInt } from 'node:crypto';
import { join, relative } from 'node:path';
import type { ExchangeRecord } from '../../checks/events.ts';
import type { Result } from '../../checks/result.ts';
import { loadConfig } from '../config/read.ts';
import { buildPlan, configDigest, secretValues } from '../config/plan.ts';
import type { RecordLine } from '../run/exchange-log.ts';
import { EXIT_NOT_VALID } from '../util/cli-options.ts';
import { cannotRun, usageError } from '../util/errors.ts';
import type { Ui } from '../util/terminal.ts';
import { recordedCode, Resender } from './resend.ts';
import { ruleOf } from './rules.ts';

export interface SpotCheckOptions {
  configPath: string;
  sample: number;
  seed?: number | undefined;
  env: NodeJS.ProcessEnv;
}

/**
 * Which recorded exchanges a spot-check can send again and expect the same answer from: reserveFunds of
 * the conformance and security suites sent validly signed (or unsigned, in an unsigned run), and
 * transactResults for an unknown reservation (TR-404), which need no reservation. Not: tampered signatures,
 * the funds probe (its answers follow the probe account's balance, which every run changes), outcomes of
 * real reservations, requests that got no answer, bodies kept only in part.
 */
export function spotCheckable(rec: ExchangeRecord): boolean {
  if (rec.suite !== 'conformance' && rec.suite !== 'security') return false;
  if (!rec.response || typeof rec.request.body !== 'string' || rec.signature === 'other') return false;
  if (rec.step.startsWith('funds probe')) return false;
  if (rec.endpoint === 'transactResult') return !rec.raw && (rec.refs[2] ?? '').startsWith('unknown-');
  return true;
}

/** A small seeded generator (mulberry32): the same seed picks the same exchanges. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` of `items`, chosen with `seed`, in their recorded order. */
export function sample<T>(items: readonly T[], n: number, seed: number): T[] {
  const random = generator(seed);
  const index = items.map((_, i) => i);
  const k = Math.min(n, index.length);
  for (let i = 0; i < k; i += 1) {
    const j = i + Math.floor(random() * (index.length - i));
    [index[i], index[j]] = [index[j] as number, index[i] as number];
  }
  return index
    .slice(0, k)
    .sort((a, b) => a - b)
    .map((i) => items[i] as T);
}

const answerWords = (status: number, code: string) => (status === 0 ? 'no answer' : `HTTP ${status}${code ? `, ${code}` : ', no responseCode'}`);

/**
 * `bankcert verify DIR --against CONFIG --sample N`: N recorded exchanges, chosen at random (the seed is
 * printed), sent again to the bank of CONFIG with fresh references and the secret from the environment;
 * the bank must answer each as recorded (HTTP status and responseCode). What it grants is released at once,
 * in a ledger under DIR/resent/ that `bankcert reconcile DIR` also finishes. Returns the exit code.
 */
export async function spotCheck(dir: string, result: Result, lines: readonly RecordLine[], o: SpotCheckOptions, ui: Ui): Promise<number> {
  if (!Number.isInteger(o.sample) || o.sample < 1)
    throw usageError(`--sample ${o.sample}: give how many recorded exchanges to send again, a whole number from 1`);
  const config = loadConfig(o.configPath);
  const { plan, secrets } = buildPlan(config, { suites: result.suites, runId: `${result.runId}s${randomInt(1e6).toString(36)}`, env: o.env });
  ui.scrubber.add(secretValues(secrets));
  const candidates = lines.filter((l): l is ExchangeRecord => l.t === 'x' && spotCheckable(l));
  if (candidates.length === 0) throw cannotRun(`${dir} records no exchange a spot-check can send again (conformance or security reserveFunds with an answer)`);
  const seed = o.seed ?? randomInt(2 ** 31);
  const chosen = sample(candidates, o.sample, seed);
  const note = configDigest(config) === result.configDigest ? '' : ' (not the config the certificate was made with: its digest differs)';
  ui.info(
    `spot-check against ${plan.target.reserveFundsUrl}${note}: ${chosen.length} of ${candidates.length} recorded exchanges, seed ${seed} (repeat with --seed ${seed})`,
  );

  const resender = new Resender(dir, 'spot-check', plan, secrets, (l) => ui.warn(`  ${l}`));
  let differ = 0;
  let sent = 0;
  try {
    for (const rec of chosen) {
      const was = { status: rec.response?.status ?? 0, code: recordedCode(rec) };
      const resent = rec.endpoint === 'reserveFunds' ? await resender.reserve(rec) : (await resender.outcome(rec, undefined)).outcome;
      const name = `${rec.suite} #${rec.n} ${rec.endpoint} "${rec.step}"`;
      if ('skipped' in resent) {
        ui.info(`  - ${name}: not sent: ${resent.skipped}`);
        continue;
      }
      sent += 1;
      if (resent.answer.status === 0)
        throw cannotRun(`the bank at ${plan.target.reserveFundsUrl} did not answer: ${resent.answer.error ?? 'no answer'}`, [
          `Check target.baseUrl in ${o.configPath}; \`bankcert reconcile ${dir}\` finishes anything left open.`,
        ]);
      const same = resent.answer.status === was.status && (rec.endpoint === 'transactResult' || resent.answer.code === was.code);
      const rule = ruleOf(rec, was.code, plan);
      if (same) ui.info(`  ✓ ${name}: ${answerWords(was.status, rec.endpoint === 'reserveFunds' ? was.code : '')} as recorded`);
      else {
        differ += 1;
        ui.info(
          `  ✗ ${name}${rule ? ` (${rule})` : ''}: recorded ${answerWords(was.status, was.code)}, now ${answerWords(resent.answer.status, resent.answer.code)}`,
        );
      }
    }
  } finally {
    const money = await resender.close();
    if (resender.used)
      ui.info(
        `  ledger ${join(dir, relative(dir, resender.folder))}/ledger.ndjson: ${money.reservations} granted, ${money.released} released, ${money.open} open${money.open > 0 ? ` (run \`bankcert reconcile ${dir}\`)` : ''}`,
      );
  }
  if (differ > 0) {
    ui.info(`spot-check: NOT VALID against this bank: ${differ} of ${sent} exchanges answered differently than the certificate records`);
    return EXIT_NOT_VALID;
  }
  ui.info(`spot-check: all ${sent} exchanges sent again were answered as recorded`);
  return 0;
}
