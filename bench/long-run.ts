// `npm run bench:long`: the CLI's memory over a long load run (issue: bounded memory over long runs).
// One `bankcert certify --suite load --profile soak` at a high constant rate against the reference bank,
// with the CLI's resident set read from /proc every second; the section between the long-run markers
// of bench/RESULTS.md and the `longRun` key of bench/results.json are replaced with what this one run
// measured. Every loop is bounded; all traffic is 127.0.0.1.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Result } from '../checks/result.ts';
import { writeConfig } from './lib/config.ts';
import { residentKiB, startBank } from './lib/procs.ts';

const ROOT = process.env.BENCH_ROOT ?? process.cwd();
const RATE = Number(process.env.BENCH_LONG_RATE ?? 400);
const DURATION_S = Number(process.env.BENCH_LONG_S ?? 600);
/** Where the RSS curve is read off: so a reader can see whether it grows with the run's length. */
const MARKS_S = [30, 60, 150, 300, 450, 600].filter((s) => s <= DURATION_S);
const START = '<!-- long-run:start (written by `npm run bench:long`) -->';
const END = '<!-- long-run:end -->';
const SECRET_ENV = 'BENCH_LONG_SECRET';

interface Reading {
  /** Seconds since the CLI started. */
  t: number;
  rssKiB: number;
  hwmKiB: number;
}

const mib = (kib: number) => kib / 1024;
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

async function main(): Promise<void> {
  const work = mkdtempSync(join(ROOT, 'node_modules', '.cache', 'bankcert-long-'));
  const secret = `bench-long-${Date.now().toString(36)}`;
  const bank = await startBank(ROOT, ['--secret-env', SECRET_ENV], { [SECRET_ENV]: secret });
  try {
    const configFile = writeConfig(work, bank.url, [
      [['signing', 'enabled'], true],
      [['signing', 'secretEnv'], SECRET_ENV],
      [['load', 'profile'], 'soak'],
      [['load', 'rate'], RATE],
      [['load', 'duration'], `${DURATION_S}s`],
    ]);
    const outDir = join(work, 'out');
    const args = [join(ROOT, 'dist', 'bankcert.mjs'), 'certify', '--config', configFile, '--out', outDir, '--suite', 'load'];
    console.log(`bench:long: certify --suite load --profile soak at ${RATE}/s for ${DURATION_S} s against ${bank.url}`);
    const started = performance.now();
    const cli = spawn(process.execPath, args, { cwd: work, env: { ...process.env, [SECRET_ENV]: secret }, stdio: ['ignore', 'pipe', 'pipe'] });
    const readings: Reading[] = [];
    const timer = setInterval(() => {
      const s = cli.pid === undefined ? undefined : residentKiB(cli.pid);
      if (s) readings.push({ t: (performance.now() - started) / 1000, rssKiB: s.rss, hwmKiB: s.hwm });
    }, 1000);
    let tail = '';
    cli.stdout.setEncoding('utf8').on('data', (d: string) => {
      tail = (tail + d).slice(-4000);
      for (const line of d.split('\n')) if (/s of \d+ s|verdict|certified|CERTIFIED/i.test(line)) console.log(`  ${line.trim()}`);
    });
    cli.stderr.setEncoding('utf8').on('data', (d: string) => (tail = (tail + d).slice(-4000)));
    const code = await new Promise<number | null>((resolve) => cli.on('close', resolve));
    clearInterval(timer);
    const wallS = (performance.now() - started) / 1000;
    if (readings.length === 0) throw new Error(`certify gave no readings (exit ${code}): ${tail}`);
    const result = JSON.parse(readFileSync(join(outDir, 'result.json'), 'utf8')) as Result;
    const load = result.load;
    if (!load) throw new Error(`certify wrote no load figures (exit ${code}): ${tail}`);

    // The load suite's own clock: k6 starts a few seconds after the CLI; marks are read against the CLI's.
    const at = (s: number) => readings.filter((r) => r.t <= s).at(-1);
    const peak = readings.reduce((m, r) => Math.max(m, r.hwmKiB), 0);
    const marks = MARKS_S.map((s) => ({ s, reading: at(s) })).filter((m): m is { s: number; reading: Reading } => m.reading !== undefined);
    const first = marks.find((m) => m.s >= 60) ?? marks[0];
    const last = marks.at(-1);
    const perIterationB = first && last && last.s > first.s ? ((last.reading.rssKiB - first.reading.rssKiB) * 1024) / ((last.s - first.s) * RATE) : Number.NaN;
    const iterations = load.iterations;
    const figures = {
      when: new Date().toISOString(),
      rate: RATE,
      durationS: DURATION_S,
      wallS: Math.round(wallS),
      exitCode: code,
      verdict: result.verdict,
      notPassing: result.checks.filter((c) => c.status !== 'pass' && c.status !== 'skip').map((c) => `${c.id} ${c.status}`),
      iterations,
      achievedRate: load.achievedRate,
      droppedIterations: load.droppedIterations,
      peakRssMiB: Math.round(mib(peak) * 10) / 10,
      rssMiBAt: Object.fromEntries(marks.map((m) => [`${m.s}s`, Math.round(mib(m.reading.rssKiB) * 10) / 10])),
      growthBytesPerIteration: Math.round(perIterationB),
      ratios: {
        peakRssVsRssAt60s: first ? Math.round((peak / first.reading.rssKiB) * 100) / 100 : null,
        rssAtEndVsRssAt60s: first && last ? Math.round((last.reading.rssKiB / first.reading.rssKiB) * 100) / 100 : null,
      },
    };

    const lines = [
      START,
      '',
      '## Memory over a long load run',
      '',
      `Written by \`npm run bench:long\` on ${figures.when} (${fmt(wallS)} s); every figure in this section comes from that one run, which is not the run of the sections above.`,
      `\`bankcert certify --suite load --profile soak\` at ${RATE} iterations/s for ${DURATION_S} s (open model, signing on) against the reference bank on loopback; the CLI's resident set (VmRSS, and VmHWM for the peak) read from /proc every second. The CLI is the process that reads k6's records, writes the ledger and keeps the figures; k6 is a separate process, measured by \`npm run bench\`.`,
      '',
      '| figure | value |',
      '|---|---|',
      `| iterations (achieved rate, dropped) | ${fmt(iterations)} (${fmt(load.achievedRate, 1)}/s, ${fmt(load.droppedIterations)} dropped) |`,
      `| verdict, exit code | ${result.verdict}, ${code} |`,
      `| **CLI peak RSS over the run** | **${fmt(mib(peak), 1)} MiB** |`,
      ...marks.map((m) => `| CLI RSS at ${m.s} s | ${fmt(mib(m.reading.rssKiB), 1)} MiB |`),
      `| growth from ${first?.s ?? '–'} s to ${last?.s ?? '–'} s, per iteration | ${Number.isFinite(perIterationB) ? `${fmt(perIterationB)} bytes` : '–'} |`,
      `| RSS at the end ÷ RSS at ${first?.s ?? '–'} s | ${figures.ratios.rssAtEndVsRssAt60s ?? '–'} |`,
      '',
      END,
    ];
    const resultsMd = join(ROOT, 'bench', 'RESULTS.md');
    const previous = readFileSync(resultsMd, 'utf8');
    const section = lines.join('\n');
    const next = previous.includes(START)
      ? previous.slice(0, previous.indexOf(START)) + section + previous.slice(previous.indexOf(END) + END.length)
      : `${previous.trimEnd()}\n\n${section}\n`;
    writeFileSync(resultsMd, next);
    const resultsJson = join(ROOT, 'bench', 'results.json');
    const json = JSON.parse(readFileSync(resultsJson, 'utf8')) as Record<string, unknown>;
    json.longRun = figures;
    writeFileSync(resultsJson, `${JSON.stringify(json, null, 2)}\n`);
    console.log(JSON.stringify(figures, null, 2));
  } finally {
    await bank.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
