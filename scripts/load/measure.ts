import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { aggregateLoad } from './aggregate.ts';
import { k6Point, requestTags, syntheticRun } from './synthetic.ts';

// Throughput and memory of aggregateLoad on synthetic k6 output. Node 20 cannot run .ts, so bundle first:
//   npx esbuild scripts/load/measure.ts --bundle --platform=node --format=esm --outfile=/tmp/measure.mjs
//   node /tmp/measure.mjs generate /tmp/k6.json 1000000 [mixed|durations]
//   /usr/bin/time -v node /tmp/measure.mjs aggregate /tmp/k6.json
// Generation runs in its own process so the aggregate's RSS is not inflated by the generator's garbage.

const START = Date.parse('2026-11-25T00:00:00Z');

async function generate(file: string, samples: number, mode: string): Promise<void> {
  const out = createWriteStream(file);
  const write = async (line: string) => {
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  };
  if (mode === 'durations') {
    // Worst case for the aggregate: every line is a request duration it must parse and keep.
    for (let i = 0; i < samples; i++) {
      const endpoint = i % 2 === 0 ? 'reserveFunds' : 'transactResult';
      await write(k6Point('http_req_duration', START + (i * 600_000) / samples, 5 + ((i * 7919) % 1000) / 10, requestTags(endpoint, 200)));
    }
  } else {
    // A realistic mix: ~10 Point lines per iteration, two of them request durations.
    for (const line of syntheticRun({ startMs: START, durationS: 600, iterations: Math.round(samples / 10) })) await write(line);
  }
  out.end();
  await once(out, 'finish');
}

async function aggregate(files: string[]): Promise<void> {
  let peakRss = process.memoryUsage().rss;
  const probe = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 10);
  const started = performance.now();
  const report = await aggregateLoad(files, { profile: 'bench', targetRateAt: () => 0, durationS: 600, plannedIterations: 0, peakRate: 0 });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(probe);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const requests = report.endpoints.reserveFunds.requests + report.endpoints.transactResult.requests;
  console.log(
    JSON.stringify({
      samples: report.samples,
      requests,
      seconds: Math.round(seconds * 100) / 100,
      samplesPerSecond: Math.round(report.samples / seconds),
      peakRssMB: Math.round(peakRss / 2 ** 20),
      p95: report.endpoints.reserveFunds.p95Ms,
    }),
  );
}

const [command, ...args] = process.argv.slice(2);
if (command === 'generate') await generate(args[0] ?? '/tmp/k6.json', Number(args[1] ?? 1_000_000), args[2] ?? 'mixed');
else if (command === 'aggregate') await aggregate(args);
else {
  console.error('usage: measure generate FILE [SAMPLES] [mixed|durations] | measure aggregate FILE...');
  process.exitCode = 2;
}
