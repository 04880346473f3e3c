import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, TOOLS } from '../../scripts/util/paths.ts';

const ACTIONLINT = 'github.com/rhysd/actionlint/cmd/actionlint@v1.7.12';
const WORKFLOW = join(ROOT, 'examples', 'github-actions', 'bankcert-nightly.yml');

/** actionlint, built from source with Go into the project's tools folder like k6 (seconds, once). */
function actionlint(): string {
  const bin = join(TOOLS, 'bin', 'actionlint');
  if (!existsSync(bin)) {
    execFileSync('go', ['install', ACTIONLINT], {
      env: { ...process.env, GOBIN: join(TOOLS, 'bin'), GOFLAGS: '-buildvcs=false' },
      stdio: 'inherit',
      timeout: 600_000,
    });
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
    // The history: restored and saved with the Actions cache, drawn by `bankcert trend`, published as summary and artifact.
    for (const needle of [
      'actions/cache/restore@',
      'actions/cache/save@',
      'bankcert.mjs trend',
      'trend.md >> "$GITHUB_STEP_SUMMARY"',
      'name: bankcert-trend',
    ]) {
      expect(text).toContain(needle);
    }
    // The secret reaches bankcert only through the environment, never on the command line.
    expect(text).toMatch(/BANKCERT_SIGNING_SECRET: \$\{\{ secrets\.BANKCERT_SIGNING_SECRET \}\}/);
  });

  it('sets up the Go version the pinned k6 declares, and the README asks for that version', () => {
    const goMod = readFileSync(join(ROOT, 'tools', 'k6', 'go.mod'), 'utf8');
    const [, major, minor] = /^go (\d+)\.(\d+)/m.exec(goMod) ?? [];
    expect(major).toBeDefined();
    expect(readFileSync(WORKFLOW, 'utf8')).toContain('go-version-file: bankcert/tools/k6/go.mod');
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(`Go ${major}.${minor}+`);
  });

  it('its history step keeps this run and the 29 before it (the real shell of the step, on 35 runs)', () => {
    const text = readFileSync(WORKFLOW, 'utf8');
    const step = text.slice(text.indexOf('- name: Add this run to the history'));
    const lines = step
      .slice(step.indexOf('run: |') + 'run: |'.length)
      .split('\n')
      .slice(1);
    const indent = /^ */.exec(lines[0] ?? '')?.[0].length ?? 0;
    const script = lines
      .slice(
        0,
        lines.findIndex((l, i) => i > 0 && l.trim() !== '' && (/^ */.exec(l)?.[0].length ?? 0) < indent),
      )
      .map((l) => l.slice(indent))
      .join('\n')
      .replaceAll('${{ github.run_id }}', '4242');
    const work = mkdtempSync(join(tmpdir(), 'bankcert-history-'));
    for (let i = 0; i < 34; i += 1) mkdirSync(join(work, 'history', `20260101T0000${String(i).padStart(2, '0')}Z-${i}`), { recursive: true });
    mkdirSync(join(work, 'bankcert-report'));
    writeFileSync(join(work, 'bankcert-report', 'result.json'), '{}');
    execFileSync('bash', ['-e', '-c', script], { cwd: work });
    const kept = readdirSync(join(work, 'history')).sort();
    expect(kept).toHaveLength(30);
    expect(kept.at(-1)).toMatch(/-4242$/);
    expect(kept[0]).toBe('20260101T000005Z-5');
    expect(existsSync(join(work, 'history', kept.at(-1) ?? '', 'result.json'))).toBe(true);
  });
});
