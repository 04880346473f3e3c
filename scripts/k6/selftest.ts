import { existsSync } from 'node:fs';
import { cannotRun } from '../util/errors.ts';
import { scenarioBundle } from '../util/paths.ts';
import { startK6 } from '../run/k6-process.ts';
import type { K6 } from './toolchain.ts';

/**
 * Runs the selftest bundle in this k6: zod validation and every signing vector must work inside the
 * k6 runtime itself, not only in Node. Returns the named results.
 */
export async function k6Selftest(k6: K6): Promise<Record<string, boolean>> {
  const bundle = scenarioBundle('selftest');
  if (!existsSync(bundle)) throw cannotRun(`${bundle} is missing`, ['Run `npm run build` first.']);
  let results: Record<string, boolean> | undefined;
  const errors: string[] = [];
  const run = startK6({
    k6,
    bundle,
    env: {},
    onEvent(event) {
      const e = event as unknown as { t: string; results?: Record<string, boolean> };
      if (e.t === 'selftest') results = e.results;
    },
    onLog(line) {
      if (line.level === 'error') errors.push(line.msg);
    },
  });
  await run.done;
  if (!results) throw cannotRun(`the k6 self-test did not run (k6 exit ${run.exitCode}${errors[0] ? `: ${errors[0]}` : ''})`);
  return results;
}
