import type { Suite } from '../checks/ids.ts';
import type { DryRunPlan, MoneyRow, SuiteTraffic } from '../checks/dry-run.ts';
import type { ReachStep } from '../checks/dry-run.ts';

/** What `certify --dry-run` prints: the plan of a run, in words, before anything is reserved. */
export interface DryRunView {
  version: string;
  bank: string;
  baseUrl: string;
  configPath: string;
  suites: readonly Suite[];
  signing: boolean;
  /** `--check`: the chosen checks (a partial run). */
  chosen: readonly string[] | undefined;
  k6: { version: string; source: string; path: string } | undefined;
  k6Outputs: readonly string[];
  reach: readonly ReachStep[];
  plan: DryRunPlan;
  typicalAmount: number;
  dispensedShare: number;
}

const n = (value: number) => value.toLocaleString('en-US');
const pad = (text: string, width: number) => text.padEnd(width);

function trafficLines(t: SuiteTraffic): string[] {
  if (t.suite !== 'load') {
    const wait = t.waitS !== undefined ? `; lasts at least ${t.waitS} s (SF-LATE-OUTCOME waits safety.lateOutcomeS)` : '';
    return [`  ${pad(t.suite, 12)} ${n(t.reserveFunds)} reserveFunds, ${n(t.transactResult)} transactResult${wait}`];
  }
  const lines: string[] = [];
  if (t.profile) {
    const p = t.profile;
    lines.push(
      `profile ${p.name}: ${n(p.rate)} iterations/s held ${n(p.holdS)} s, ${n(p.durationS)} s in all, ${n(p.iterations)} iterations (each a reserveFunds and a transactResult)${p.instances > 1 ? ` over ${p.instances} k6 processes` : ''}`,
    );
  }
  if (t.capacity) {
    const c = t.capacity;
    lines.push(
      `capacity search: steps of ${n(c.stepS)} s from ${n(c.startRate)}/s up to ${n(c.maxRate)}/s, at most about ${n(c.maxIterations)} iterations (it stops where the bank stops keeping up)`,
    );
  }
  return lines.map((line, i) => `  ${pad(i === 0 ? 'load' : '', 12)} ${line}`);
}

function moneyCells(row: MoneyRow): [string, string, string, string] {
  const q = row.bound ? `${row.bound} ` : '';
  const name = row.poolSize !== undefined ? `${row.account} (${row.poolSize} account${row.poolSize === 1 ? '' : 's'})` : row.account;
  // Without a declared balance the probe's largest hold is all it has, whatever that is.
  const largest = row.bound === 'about' ? 'all its available funds' : `${q}${n(row.largestHeld)}`;
  const debited = row.account === 'load' && row.debited > 0 ? `about ${n(row.debited)}` : n(row.debited);
  return [name, `${q}${n(row.reservations)}`, largest, debited];
}

function table(header: [string, string, string, string], rows: [string, string, string, string][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: readonly string[]) =>
    `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('   ')}`.trimEnd();
  return [line(header), ...rows.map(line)];
}

export function renderDryRun(v: DryRunView): string[] {
  const { plan } = v;
  const scope = v.chosen ? `checks ${v.chosen.join(', ')}: a partial run, not a certificate` : `suites: ${v.suites.join(', ')}`;
  const lines = [
    `bankcert ${v.version}: dry run for "${v.bank}" at ${v.baseUrl} (${scope}; signing ${v.signing ? 'on' : 'off'}): nothing is reserved`,
    `  config: ${v.configPath} is valid, and so is every option`,
    v.k6
      ? `  k6: ${v.k6.version} (${v.k6.source}: ${v.k6.path})`
      : '  k6: not found: the run builds the pinned release with Go first (a few minutes, once), or set K6_BINARY',
    ...(v.k6Outputs.length > 0 ? [`  k6 outputs: ${v.k6Outputs.join(', ')} (every metric tagged run_id, bank and suite)`] : []),
    '',
    'Reaching the bank (without moving money)',
  ];
  for (const r of v.reach) {
    lines.push(`  ${pad(r.step, 5)} ${r.detail}`);
    if (r.warning) lines.push(`  ${pad('', 5)} ! ${r.warning}`);
  }

  const running = plan.checks.filter((c) => c.skip === undefined);
  const skipped = plan.checks.filter((c) => c.skip !== undefined);
  lines.push('', `What will run: ${running.length} of ${plan.checks.length} check${plan.checks.length === 1 ? '' : 's'}`);
  for (const suite of v.suites) {
    const ids = running.filter((c) => c.suite === suite).map((c) => (c.level === 'MUST' ? c.id : `${c.id} (${c.level})`));
    if (ids.length > 0) lines.push(`  ${pad(suite, 12)} ${ids.join(', ')}`);
  }
  if (skipped.length > 0) {
    lines.push('', 'Skipped, and why');
    const width = Math.max(...skipped.map((c) => c.id.length));
    for (const c of skipped) lines.push(`  ${pad(c.id, width)}  ${c.skip ?? ''}`);
  }

  lines.push('', 'Traffic per suite (against a compliant bank; a bank that fails a check gets a few requests more or fewer)');
  for (const t of plan.traffic) lines.push(...trafficLines(t));

  lines.push('', `Money plan (minor units; typicalAmount ${n(v.typicalAmount)})`);
  lines.push(...table(['account', 'reservations', 'largest held at one time', 'debited'], plan.money.map(moneyCells)));
  for (const held of plan.leftForCleanup) {
    lines.push(`  ${n(held.amount)} stays held on ${held.account} until the post-run cleanup releases it (SF-CLEANUP leaves one reservation open on purpose)`);
  }
  if (plan.money.some((r) => r.account === 'probe')) {
    lines.push(
      plan.probeBalanceDeclared
        ? "  probe: the funds probe holds all of the probe account's available funds for a moment each time it measures"
        : '  probe: accounts.probe.balance is not declared, so its figures assume a balance just under limits.maximumAmount; the funds probe holds all of its available funds for a moment each time it measures',
    );
  }
  if (plan.money.some((r) => r.account === 'load')) {
    lines.push(
      `  load: each iteration holds typicalAmount from its answer until its outcome, sent at once; a share of load.dispensedShare (${v.dispensedShare}) is debited, the rest released`,
    );
  }
  lines.push('', 'Nothing was reserved. Run the same command without --dry-run to run it.');
  return lines;
}
