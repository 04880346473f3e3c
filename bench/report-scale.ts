// Report scale for `npm run bench`: time and peak RSS to build the certificate (aggregate the raw k6
// samples, then render report.html, report.md and junit.xml) from a large synthetic run. Generation runs
// in its own process so the build's peak RSS is its own. Usage:
//   node report-scale.mjs generate FILE SAMPLES mixed|durations
//   node report-scale.mjs build FILE RESULT_JSON      → one JSON line of figures on stdout
import { once } from 'node:events';
import { createWriteStream, readFileSync } from 'node:fs';
import type { Result } from '../checks/result.ts';
import { renderHtml } from '../reports/html.ts';
import { renderJunit } from '../reports/junit.ts';
import { renderMarkdown } from '../reports/markdown.ts';
import { aggregateLoad, toLoadReport } from '../scripts/load/aggregate.ts';
import { honestyProblems } from '../scripts/load/honesty.ts';
import { k6Point, requestTags, syntheticRun } from '../scripts/load/synthetic.ts';

const START = Date.parse('2026-11-25T00:00:00Z');
const DURATION_S = 600;

async function generate(file: string, samples: number, mode: string): Promise<void> {
  const out = createWriteStream(file);
  const write = async (line: string) => {
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  };
  if (mode === 'durations') {
    // The worst case: every line a request duration the aggregate must keep.
    for (let i = 0; i < samples; i++) {
      const endpoint = i % 2 === 0 ? 'reserveFunds' : 'transactResult';
      await write(k6Point('http_req_duration', START + (i * DURATION_S * 1000) / samples, 5 + ((i * 7919) % 1000) / 10, requestTags(endpoint, 200)));
    }
  } else {
    // k6's real mix: about 10 lines per iteration, 2 of them request durations.
    for (const line of syntheticRun({ startMs: START, durationS: DURATION_S, iterations: Math.round(samples / 10) })) await write(line);
  }
  out.end();
  await once(out, 'finish');
}

function peakRssMiB(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : Math.round(process.memoryUsage().rss / 2 ** 20);
}

async function build(file: string, resultFile: string): Promise<void> {
  const base = JSON.parse(readFileSync(resultFile, 'utf8')) as Result;
  const t0 = performance.now();
  const aggregated = await aggregateLoad([file], { profile: 'smoke', targetRateAt: () => 0, durationS: DURATION_S, plannedIterations: 0, peakRate: 0 });
  const load = toLoadReport(aggregated, honestyProblems(aggregated, { cpuBusyMax: 0 }));
  const t1 = performance.now();
  const result: Result = { ...base, load };
  const html = renderHtml(result);
  const md = renderMarkdown(result);
  const junit = renderJunit(result);
  const t2 = performance.now();
  const s = (ms: number) => Math.round(ms / 10) / 100;
  console.log(
    JSON.stringify({
      samples: aggregated.samples,
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
if (command === 'generate') await generate(args[0] ?? 'k6.ndjson', Number(args[1] ?? 1_000_000), args[2] ?? 'mixed');
else if (command === 'build' && args[0] && args[1]) await build(args[0], args[1]);
else {
  console.error('usage: report-scale generate FILE SAMPLES mixed|durations | report-scale build FILE RESULT_JSON');
  process.exitCode = 2;
}
