import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { checkById } from '../../checks/catalogue.ts';
import type { Exchange, ExchangeRecord } from '../../checks/events.ts';
import { CHECK_IDS, type CheckId } from '../../checks/ids.ts';
import type { BankcertSecrets, Plan } from '../../checks/plan.ts';
import { buildPlan, secretValues } from '../config/plan.ts';
import { loadConfig } from '../config/read.ts';
import { exchangesPath, readExchanges } from '../run/exchange-log.ts';
import { readPlanFile } from '../run/plan-file.ts';
import { cannotRun, usageError } from '../util/errors.ts';
import { readResultFile } from '../util/result-file.ts';
import type { Ui } from '../util/terminal.ts';
import { matchesRedacted } from '../verify/redacted-match.ts';
import { recordedCode, Resender, type Answer, type Resent } from './resend.ts';

export interface ReplayOptions {
  /** A config for the auth codes (and the target) the run's plan does not hold. */
  configPath?: string | undefined;
  env: NodeJS.ProcessEnv;
}

/** The recorded exchange an evidence exchange shows (evidence keeps a shortened, redacted copy). */
function recordOf(ev: Exchange, records: readonly ExchangeRecord[]): ExchangeRecord | undefined {
  const shortened = ev.request.body.replace(/… \[\d+ more characters\]$/, '');
  const same = records.filter((r) => matchesRedacted(r.step, ev.step) && r.request.url === ev.request.url);
  return same.find((r) => typeof r.request.body === 'string' && r.request.body.startsWith(shortened)) ?? same[0];
}

/** The recorded reserveFunds whose granted reservation a recorded transactResult finishes. */
function reservationOf(outcome: ExchangeRecord, records: readonly ExchangeRecord[]): ExchangeRecord | undefined {
  return records.find((r) => {
    if (r.endpoint !== 'reserveFunds' || r.refs[1] !== outcome.refs[1] || !r.response || typeof r.response.body !== 'string') return false;
    return r.response.body.includes(JSON.stringify(outcome.refs[2] ?? ''));
  });
}

/** Columns: a label, the run's value, now's value. */
function sideBySide(rows: [string, string, string][]): string[] {
  const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
  const width = 44;
  return [
    `  ${''.padEnd(14)}${'in the run'.padEnd(width)}now`,
    ...rows.map(([label, was, now]) => `  ${label.padEnd(14)}${cut(was, width - 2).padEnd(width)}${cut(now, 80)}`),
  ];
}

const statusWords = (status: number, error?: string) => (status === 0 ? `no answer${error ? ` (${error})` : ''}` : `HTTP ${status}`);

/**
 * `bankcert replay DIR CHECK-ID`: the exchanges a check failed on (its evidence in result.json, each found
 * in the run's records, whose bodies are whole), sent again with fresh references, signed with the secret
 * from the environment, to the run's bank (or the bank of --config). Prints what was sent and, side by
 * side, what the bank answered in the run and now, with what the check expected. A transactResult for a
 * reservation is preceded by that reservation, made again. Whatever the bank grants is released (ledger in
 * DIR/resent/). Exit 1 when an answer is still the failing one, 0 when none is, 3 when nothing could be sent.
 */
export async function replayCheck(dir: string, id: string, o: ReplayOptions, ui: Ui): Promise<number> {
  if (!(CHECK_IDS as readonly string[]).includes(id)) throw usageError(`${id}: not a check id`, [`Check ids: ${CHECK_IDS.join(', ')}.`]);
  const result = readResultFile(dir, `replay ${dir}`);
  const check = result.checks.find((c) => c.id === id);
  if (!check) throw usageError(`${id} was not part of the run in ${dir} (suites: ${result.suites.join(', ')})`);
  const definition = checkById(id as CheckId);
  ui.info(`${id} ${check.title} (${check.level}): ${check.status} in run ${result.runId}`);
  ui.info(`  expected: ${check.expected || check.summary}`);
  if (definition.judgedBy !== 'k6')
    ui.info(
      `  (judged from the run's ${definition.judgedBy === 'load' ? 'load figures' : 'ledger'}, not from single exchanges: \`certify --suite ${definition.suite}\` judges it again)`,
    );
  const evidence = check.evidence ?? [];
  if (evidence.length === 0) {
    ui.info(`${id} recorded no failing exchange in this run: nothing to replay`);
    return 0;
  }
  if (/^SF-/.test(id)) ui.info('  (judged by funds measurements: the exchanges are sent again, the funds are not measured again)');

  const { plan, secrets } = sessionPlan(dir, result.runId, o, ui);
  const records = existsSync(exchangesPath(dir)) ? readExchanges(exchangesPath(dir)).filter((l): l is ExchangeRecord => l.t === 'x') : [];
  const resender = new Resender(dir, `replay-${id}`, plan, secrets, (l) => ui.warn(`  ${l}`));
  const secretNote = plan.signing.enabled ? `, signed with $${plan.signing.secretEnv}` : '';
  let reproduced = 0;
  let sent = 0;
  let needConfig = false;
  try {
    for (const [i, ev] of evidence.entries()) {
      ui.info(`exchange ${i + 1} of ${evidence.length}: ${ev.step}`);
      const rec = recordOf(ev, records);
      if (!rec) {
        ui.info(
          `  not sent: it is not in the run's records (${records.length === 0 ? `${dir} has no exchanges.ndjson.gz` : 'no recorded exchange matches it'})`,
        );
        continue;
      }
      const outcome = rec.endpoint === 'reserveFunds' ? { outcome: await resender.reserve(rec) } : await resender.outcome(rec, reservationOf(rec, records));
      if (outcome.reservation && 'sent' in outcome.reservation)
        ui.info(
          `  first its reservation again: ${statusWords(outcome.reservation.answer.status)}${outcome.reservation.answer.code ? `, ${outcome.reservation.answer.code}` : ''}`,
        );
      const resent: Resent = outcome.outcome;
      if ('skipped' in resent) {
        ui.info(`  not sent: ${resent.skipped}`);
        if (resent.skipped.includes('give --config')) needConfig = true;
        continue;
      }
      sent += 1;
      if (resent.answer.status === 0 && resent.answer.error) ui.warn(`  the bank did not answer: ${resent.answer.error}`);
      const same = show(ui, rec, resent.sent.url, resent.sent.body, resent.sent.refs.raasTxnRef, resent.answer, secretNote);
      if (same) reproduced += 1;
      ui.info(
        same
          ? `  → reproduced: the bank answers as it did in the run (expected: ${check.expected || 'see the check'})`
          : `  → the bank answers differently now (expected: ${check.expected || 'see the check'})`,
      );
    }
  } finally {
    const money = await resender.close();
    if (resender.used)
      ui.info(
        `ledger ${join(dir, relative(dir, resender.folder))}/ledger.ndjson: ${money.reservations} granted, ${money.debited} debited, ${money.released} released, ${money.open} open${money.open > 0 ? ` (run \`bankcert reconcile ${dir}\`)` : ''}`,
      );
  }
  if (sent === 0 && needConfig)
    throw usageError(`the exchanges of ${id} carry an account's authCode, which the run's folder never holds`, [
      `Give the run's config: bankcert replay ${dir} ${id} --config <file>.`,
    ]);
  if (sent === 0) throw cannotRun(`no exchange of ${id} could be sent again (see the lines above)`);
  ui.info(`replay ${id}: ${reproduced} of ${sent} exchange(s) sent again ${reproduced === 1 ? 'reproduces' : 'reproduce'} the failure`);
  return reproduced > 0 ? 1 : 0;
}

/** Prints one exchange side by side; true when the bank answered as in the run. */
function show(ui: Ui, rec: ExchangeRecord, url: string, body: string, raas: string, now: Answer, signed: string): boolean {
  ui.info(`  sent    POST ${url} (fresh references ${raas.replace(/-r$/, '-c/-r')}${signed})`);
  ui.info(`          ${body.length > 400 ? `${body.slice(0, 400)}… (${body.length} characters)` : body}`);
  const was = { status: rec.response?.status ?? 0, code: recordedCode(rec), body: typeof rec.response?.body === 'string' ? rec.response.body : '' };
  const rows: [string, string, string][] = [['answer', statusWords(was.status, rec.error), statusWords(now.status, now.error)]];
  if (rec.endpoint === 'reserveFunds') rows.push(['responseCode', was.code || 'none', now.code || 'none']);
  rows.push(['body', was.body || '(empty)', now.body || '(empty)']);
  for (const line of sideBySide(rows)) ui.info(line);
  return was.status === now.status && (rec.endpoint === 'transactResult' || was.code === now.code);
}

/** Where and how to send: the bank of --config, or the run's own plan with fresh references; the secret from the environment. */
function sessionPlan(dir: string, runId: string, o: ReplayOptions, ui: Ui): { plan: Plan; secrets: BankcertSecrets } {
  const fresh = `${runId}r${randomInt(1e6).toString(36)}`;
  if (o.configPath) {
    const built = buildPlan(loadConfig(o.configPath), { suites: [], runId: fresh, env: o.env });
    ui.scrubber.add(secretValues(built.secrets));
    return built;
  }
  const planFile = join(dir, 'plan.json');
  if (!existsSync(planFile)) throw usageError(`${dir} has no plan.json`, ['Give the --out folder of a `bankcert certify` run, or --config.']);
  const plan = { ...readPlanFile(planFile), runId: fresh };
  const secrets: BankcertSecrets = { authCodes: {} };
  if (plan.signing.enabled) {
    const secret = o.env[plan.signing.secretEnv];
    if (!secret)
      throw usageError(`the run was signed but ${plan.signing.secretEnv} is not set`, [
        `export ${plan.signing.secretEnv}=<the shared secret> and run replay again.`,
      ]);
    secrets.signingSecret = secret;
    ui.scrubber.add([secret]);
  }
  return { plan, secrets };
}
