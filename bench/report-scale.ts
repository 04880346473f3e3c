// Report scale for `npm run bench`: time and peak RSS to build the certificate (read the load suite's
// records, compute the figures, render report.html, report.md and junit.xml) from a large synthetic run.
// Generation runs in its own process so the build's peak RSS is its own. Usage:
//   node report-scale.mjs generate FILE ITERATIONS batches|k6log
//   node report-scale.mjs build FILE RESULT_JSON ITERATIONS      → one JSON line of figures on stdout
// batches: the CLI's records file with a closed-model VU's lines of 100 records; k6log: what the open model
// writes, one record per line inside k6's JSON log lines (a runner's `kubectl logs`, which `report --merge`
// reads): the most parsing per record.
import { once } from 'node:events';
import { createWriteStream, readFileSync } from 'node:fs';
import type { Result } from '../checks/result.ts';
import { renderHtml } from '../reports/html.ts';
import { renderJunit } from '../reports/junit.ts';
import { renderMarkdown } from '../reports/markdown.ts';
import { toLoadReport } from '../scripts/load/aggregate.ts';
import { honestyProblems } from '../scripts/load/honesty.ts';
import { recordsFromFiles } from '../scripts/load/records.ts';
import { syntheticRecordLines } from '../scripts/load/synthetic.ts';

const START = Date.parse('2026-11-25T00:00:00Z');
const DURATION_S = 3_600;

async function generate(file: string, iterations: number, mode: string): Promise<void> {
  const out = createWriteStream(file);
  const write = async (line: string) => {
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  };
  const k6Log = mode === 'k6log';
  for (const line of syntheticRecordLines({ startMs: START, durationS: DURATION_S, iterations, perLine: k6Log ? 1 : 100, vus: k6Log ? 2_000 : 10, k6Log }))
    await write(line);
  out.end();
  await once(out, 'finish');
}

function peakRssMiB(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : Math.round(process.memoryUsage().rss / 2 ** 20);
}

/** The load section, as `report --merge` builds it from runners' logs (the planned iterations size the columns). */
async function figures(file: string, iterations: number) {
  const records = await recordsFromFiles([file], ['load:0', 'load:1', 'load:2', 'load:3'], iterations);
  const aggregated = records.summarise(
    {
      profile: 'soak',
      targetRateAt: () => iterations / DURATION_S,
      durationS: DURATION_S,
      plannedIterations: iterations,
      peakRate: iterations / DURATION_S,
      targetsMs: [2000, 2000],
    },
    1,
  );
  const load = {
    ...toLoadReport(aggregated, honestyProblems(aggregated, { cpuBusyMax: 0 })),
    responses: records.responses.summary(aggregated.t0EpochMs, aggregated.timeline.length),
  };
  return { load, records: aggregated.samples };
}

async function build(file: string, resultFile: string, iterations: number): Promise<void> {
  const base = JSON.parse(readFileSync(resultFile, 'utf8')) as Result;
  const t0 = performance.now();
  const { load, records } = await figures(file, iterations);
  const t1 = performance.now();
  const result: Result = { ...base, load };
  const html = renderHtml(result);
  const md = renderMarkdown(result);
  const junit = renderJunit(result);
  const t2 = performance.now();
  const s = (ms: number) => Math.round(ms / 10) / 100;
  console.log(
    JSON.stringify({
      records,
      requests: load.endpoints.reserveFunds.requests + load.endpoints.transactResult.requests,
      aggregateS: s(t1 - t0),
      renderS: s(t2 - t1),
      totalS: s(t2 - t0),
      peakRssMiB: peakRssMiB(),
      htmlKiB: Math.round(html.length / 1024),
      otherKiB: Math.round((md.length + junit.length) / 1024),
    }),
  );
}

const [command, ...args] = process.argv.slice(2);
if (command === 'generate') await generate(args[0] ?? 'records.ndjson', Number(args[1] ?? 5_040_000), args[2] ?? 'batches');
else if (command === 'build' && args[0] && args[1]) await build(args[0], args[1], Number(args[2] ?? 5_040_000));
else {
  console.error('usage: report-scale generate FILE ITERATIONS batches|k6log | report-scale build FILE RESULT_JSON ITERATIONS');
  process.exitCode = 2;
}
