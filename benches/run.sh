#!/usr/bin/env bash
# Runs every benchmark and prints the ratios the README quotes, all measured in this run.
#   benches/run.sh            # loading and passive recording (criterion), HTTP probe path and storm (wrk), compile time
#   benches/run.sh load       # one of: load, passive, http, compile
# Needs wrk (Debian package `wrk`) for the HTTP part.
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"

config_vars() {
  export APP_NAME=orders ENVIRONMENT=production REGION=eu-west-1 LOG_LEVEL=info PORT=8080 \
    WORKERS=8 MAX_CONNECTIONS=100 REQUEST_LIMIT=10000 RETRIES=3 DEBUG=false \
    METRICS_ENABLED=true TLS=true TIMEOUT=2s ALLOWED_ORIGINS="https://a.example,https://b.example" \
    PUBLIC_URL=https://orders.example API_TOKEN=tok-123 CACHE_TTL_SECS=300 SAMPLE_RATE=0.25 \
    DB_HOST=db.internal DB_PORT=5432
  for i in $(seq -f '%03g' 0 199); do export "BIG_F$i=$((10#$i))"; done
}

ratio() { # ratio GROUP A B: mean(A) / mean(B) from criterion's estimates
  python3 - "$@" <<'PY'
import json, sys
group, a, b = sys.argv[1:4]
mean = lambda n: json.load(open(f"target/criterion/{group}/{n}/new/estimates.json"))["mean"]["point_estimate"]
print(f"{group}: {a} {mean(a)/1000:.2f} us, {b} {mean(b)/1000:.2f} us, {a}/{b} = {mean(a)/mean(b):.2f}")
PY
}

if [ "$what" = all ] || [ "$what" = load ]; then
  config_vars
  # The same benchmark in a small and in a padded environment: cost against its size.
  for pad in 0 1000; do
    for i in $(seq 1 "$pad"); do export "PAD_VAR_$i=value-$i"; done
    export HEALTH_BENCH_ENV="pad$pad"
    cargo bench --bench load -- --noplot --warm-up-time 1 --measurement-time 3
    for group in "load20_pad$pad" "load200_pad$pad"; do
      ratio "$group" health_from_env hand_written
      ratio "$group" envy health_from_env
    done
  done
fi

if [ "$what" = all ] || [ "$what" = passive ]; then
  # ns per recorded outcome, one thread and 16, beside an atomic add and a clock read.
  cargo bench --bench passive -- --noplot
fi

if [ "$what" = all ] || [ "$what" = http ]; then
  cargo bench --bench http --features axum
fi

if [ "$what" = all ] || [ "$what" = compile ]; then
  benches/compile_time.sh
fi
