import { observe, wants, type ObserveContext } from './context.ts';
import { runBadInput } from './bad-input.ts';
import { FundsProbe } from './funds.ts';
import { ProbeFunds, target, type Target } from './security-accounts.ts';
import { runSignature } from './signature.ts';

const NO_ACCOUNT = 'no accounts.funded or accounts.probe fixture in the configuration';

/**
 * The security suite. Hostile requests go to the probe account when its funds can be measured, so a
 * reservation the bank made but did not admit to shows; otherwise to the funded account, judged by the
 * answers. Auth-code cases also go to an account that has an auth code, where the bank acts on it.
 */
export function runSecurity(ctx: ObserveContext): void {
  const signature = ctx.plan.signing.enabled && wants(ctx, 'SEC-SIGNATURE');
  const input = wants(ctx, 'SEC-BAD-INPUT', 'SEC-STRICT-INPUT');
  // A partial run of SEC-SIGNATURE alone with signing off: the check does not apply, so nothing is sent (not even the probe).
  if (!signature && !input) return;
  const funds = ProbeFunds.start(ctx, new FundsProbe(ctx));
  const to: Target | undefined = funds.measurable ? target(ctx, 'probe') : (target(ctx, 'funded') ?? target(ctx, 'probe'));
  if (!to) {
    for (const id of ['SEC-SIGNATURE', 'SEC-BAD-INPUT', 'SEC-STRICT-INPUT'] as const) observe(ctx, { id, status: 'skip', expected: 'hostile requests refused', observed: 'not run', reason: NO_ACCOUNT });
    return;
  }
  const funded = target(ctx, 'funded');
  const pinAccount = !to.hasAuthCode && funded?.hasAuthCode ? funded : undefined;
  if (signature) runSignature(ctx, to, funds);
  if (input) runBadInput(ctx, to, pinAccount, funds);
}
