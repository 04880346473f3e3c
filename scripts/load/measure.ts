import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { recordsFromFiles } from './records.ts';
import { syntheticRecordLines } from './synthetic.ts';

// Throughput and memory of the records aggregation on synthetic records. Node 20 cannot run .ts, so bundle first:
//   npx esbuild scripts/load/measure.ts --bundle --platform=node --format=esm --packages=external --outfile=node_modules/.cache/measure.mjs
//   node node_modules/.cache/measure.mjs generate /tmp/records.ndjson 5040000 [batches|k6log]
//   /usr/bin/time -v node node_modules/.cache/measure.mjs aggregate /tmp/records.ndjson [iterations]
// Generation runs in its own process so the aggregate's RSS is not inflated by the generator's garbage.
// bench/report-scale.ts does the same and renders the reports too (npm run bench).

const START = Date.parse('2026-11-25T00:00:00Z');
const DURATION_S = 3_600;

async function generate(file: string, iterations: number, mode: string): Promise<void> {
  const out = createWriteStream(file);
  const k6Log = mode === 'k6log';
  for (const line of syntheticRecordLines({ startMs: START, durationS: DURATION_S, iterations, perLine: k6Log ? 1 : 100, vus: k6Log ? 2_000 : 10, k6Log })) {
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function aggregate(file: string, iterations: number | undefined): Promise<void> {
  let peakRss = process.memoryUsage().rss;
  const probe = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 10);
  const started = performance.now();
  const records = await recordsFromFiles([file], ['load:0', 'load:1', 'load:2', 'load:3'], iterations);
  const report = records.summarise({ profile: 'bench', targetRateAt: () => 0, durationS: DURATION_S, plannedIterations: iterations ?? 0, peakRate: 0 }, 1);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(probe);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const requests = report.endpoints.reserveFunds.requests + report.endpoints.transactResult.requests;
  console.log(JSON.stringify({ records: report.samples, requests, seconds: Math.round(seconds * 100) / 100, requestsPerSecond: Math.round(requests / seconds), peakRssMB: Math.round(peakRss / 1e6), p95: report.endpoints.reserveFunds.p95Ms }));
}

const [command, ...args] = process.argv.slice(2);
if (command === 'generate') await generate(args[0] ?? '/tmp/records.ndjson', Number(args[1] ?? 5_040_000), args[2] ?? 'batches');
else if (command === 'aggregate' && args[0]) await aggregate(args[0], args[1] ? Number(args[1]) : undefined);
else {
  console.error('usage: measure generate FILE [ITERATIONS] [batches|k6log] | measure aggregate FILE [ITERATIONS]');
  process.exitCode = 2;
}
