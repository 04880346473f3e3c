import { wants, type ObserveContext } from './context.ts';
import { runBadInput } from './bad-input.ts';
import { FundsProbe } from './funds-probe.ts';
import { ProbeFunds, target, type Target } from './security-accounts.ts';
import { runSignature } from './signature.ts';

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
  const funds = ProbeFunds.start(ctx, new FundsProbe(ctx, 'security'));
  const to: Target | undefined = funds.measurable ? target(ctx, 'probe') : (target(ctx, 'funded') ?? target(ctx, 'probe'));
  // Neither account: nothing to send; the verdict skips the checks from their `needs`.
  if (!to) return;
  const funded = target(ctx, 'funded');
  const pinAccount = !to.hasAuthCode && funded?.hasAuthCode ? funded : undefined;
  if (signature) runSignature(ctx, to, funds);
  if (input) runBadInput(ctx, to, pinAccount, funds);
}
