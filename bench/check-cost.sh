#!/usr/bin/env bash
# `npm run bench:check-cost -- ID…`: what each named check costs, against the reference bank on loopback.
# "adds": a functional run (conformance, safety, security) against the same run with `--check` of every
# other id; "alone": `certify --check ID`, the setup it needs included. Requests are the recorded
# exchanges (exchanges.ndjson.gz); seconds are the whole CLI's wall time. Run after `npm run build`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cli="$root/dist/bankcert.mjs"
work="$(mktemp -d)"
export BENCH_CHECK_SECRET="check-cost-$RANDOM$RANDOM"
node "$cli" bank --port 0 --quiet --secret-env BENCH_CHECK_SECRET > "$work/bank.log" 2>&1 &
bank=$!
trap 'kill $bank 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q "listening on" "$work/bank.log" && break; sleep 0.1; done
url="$(grep -o 'http://[0-9.:]*' "$work/bank.log" | head -1)"
node "$cli" init --output "$work/c.json" > /dev/null
node -e "
const fs = require('fs'); const { applyEdits, modify } = require('$root/node_modules/jsonc-parser');
let t = fs.readFileSync('$work/c.json', 'utf8');
for (const [p, v] of [[['target', 'baseUrl'], '$url'], [['signing', 'enabled'], true], [['signing', 'secretEnv'], 'BENCH_CHECK_SECRET']]) t = applyEdits(t, modify(t, p, v, {}));
fs.writeFileSync('$work/c.json', t);"
run() {
  rm -rf "$work/out"
  local s e
  s=$(date +%s.%N)
  node "$cli" certify --config "$work/c.json" --out "$work/out" "$@" > "$work/run.log" 2>&1 || true
  e=$(date +%s.%N)
  echo "$(zcat "$work/out/exchanges.ndjson.gz" 2>/dev/null | grep -c '"t":"x"') $(echo "$e - $s" | bc)"
}
read -r full_n full_s <<< "$(run --suite conformance,safety,security)"
all="$(node -e "console.log(require('$work/out/result.json').checks.map((c) => c.id).join(','))")"
printf '%-18s %s requests, %.1f s\n' 'functional run' "$full_n" "$full_s"
printf '| check | adds to a full run | alone |\n|---|---|---|\n'
for id in "$@"; do
  read -r without_n without_s <<< "$(run --check "$(echo "$all" | tr ',' '\n' | grep -vx "$id" | paste -sd,)")"
  read -r alone_n alone_s <<< "$(run --check "$id")"
  printf '| %s | %s requests, %.1f s | %s requests, %.1f s |\n' "$id" $((full_n - without_n)) "$(echo "$full_s - $without_s" | bc)" "$alone_n" "$alone_s"
done
