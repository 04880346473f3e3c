import { renderDryRun } from '../../reports/dry-run.ts';
import { secretValues } from '../config/plan.ts';
import { findK6 } from '../k6/toolchain.ts';
import { prepareCertification, type CertifyOptions } from '../run/certify-options.ts';
import { harnessVersion } from '../util/paths.ts';
import { buildDryRunPlan } from './plan.ts';
import { reachBank } from './reach.ts';
import { simulate } from './simulate.ts';

/**
 * `certify --dry-run`: everything a run checks before its first request (the same prepareCertification:
 * a mistake is exit 2), then the bank reached without moving money (exit 3 when it cannot be), then what
 * the run would do: the checks that run and those skipped with the reason, the traffic per suite and the
 * money plan. Exit 0. k6 is looked for, not built.
 */
export async function dryRun(options: CertifyOptions): Promise<number> {
  const { ui } = options;
  const p = prepareCertification(options);
  ui.scrubber.add(secretValues(p.secrets));
  ui.scrubber.add(p.k6Outputs.secrets);
  const k6 = await findK6();
  const reach = await reachBank(p.plan, p.secrets);
  const sim = simulate(p.plan, p.secrets);
  const plan = buildDryRunPlan(p.plan, p.load, sim, p.selection?.checks, p.config.thresholds.minCapacity !== undefined);
  const lines = renderDryRun({
    version: harnessVersion(),
    bank: p.config.bank,
    baseUrl: p.config.target.baseUrl,
    configPath: options.configPath,
    suites: p.suites,
    signing: p.plan.signing.enabled,
    chosen: p.selection?.checks,
    k6: k6 && { version: k6.version, source: k6.source, path: k6.path },
    k6Outputs: p.k6Outputs.shown,
    reach,
    plan,
    typicalAmount: p.plan.product.typicalAmount,
    dispensedShare: p.plan.load.dispensedShare,
  });
  for (const line of lines) ui.info(line);
  return 0;
}
