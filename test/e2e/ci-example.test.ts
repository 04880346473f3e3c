import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, TOOLS } from '../../scripts/util/paths.ts';

const ACTIONLINT = 'github.com/rhysd/actionlint/cmd/actionlint@v1.7.12';
const WORKFLOW = join(ROOT, 'examples', 'github-actions', 'bankcert-nightly.yml');

/** actionlint, built from source with Go into the project's tools folder like k6 (seconds, once). */
function actionlint(): string {
  const bin = join(TOOLS, 'bin', 'actionlint');
  if (!existsSync(bin)) {
    execFileSync('go', ['install', ACTIONLINT], { env: { ...process.env, GOBIN: join(TOOLS, 'bin'), GOFLAGS: '-buildvcs=false' }, stdio: 'inherit', timeout: 600_000 });
  }
  return bin;
}

describe('the example nightly GitHub Actions workflow', () => {
  it('passes actionlint', () => {
    const out = execFileSync(actionlint(), ['-no-color', WORKFLOW], { encoding: 'utf8' });
    expect(out).toBe('');
  }, 600_000);

  it('schedules nightly, sets up k6, compares with a baseline, uploads the report and writes the step summary', () => {
    const text = readFileSync(WORKFLOW, 'utf8');
    for (const needle of ['schedule:', 'cron:', 'node dist/bankcert.mjs setup', '--baseline', 'upload-artifact', 'GITHUB_STEP_SUMMARY', 'report.md']) {
      expect(text).toContain(needle);
    }
    // The secret reaches bankcert only through the environment, never on the command line.
    expect(text).toMatch(/BANKCERT_SIGNING_SECRET: \$\{\{ secrets\.BANKCERT_SIGNING_SECRET \}\}/);
  });
});
