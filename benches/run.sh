#!/usr/bin/env bash
# Runs every benchmark and prints the ratios the README quotes, all measured in this run.
#   benches/run.sh            # loading and passive recording (criterion), HTTP probe path and storm (wrk), build time
#   benches/run.sh load       # one of: load, instructions, passive, http, build (`compile` is kept as another name for build)
#   benches/run.sh instructions   # the loading configs again, in instructions per load under callgrind (valgrind)
#   benches/run.sh build --explain   # arguments after `build` go to benches/build.sh
# Needs wrk (Debian package `wrk`) for the HTTP part, valgrind (Debian package `valgrind`) for
# the instruction counts.
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"
case "$what" in
  all|load|instructions|passive|http|build) ;;
  compile) what=build ;;
  *) echo "run.sh: unknown part '$what' (all, load, instructions, passive, http, build)" >&2; exit 2 ;;
esac

# The variables of the loading benchmark's configs: `config_vars 20` or `config_vars 200`.
config_vars() {
  if [ "$1" = 20 ]; then
    printf '%s\n' APP_NAME=orders ENVIRONMENT=production REGION=eu-west-1 LOG_LEVEL=info PORT=8080 \
      WORKERS=8 MAX_CONNECTIONS=100 REQUEST_LIMIT=10000 RETRIES=3 DEBUG=false \
      METRICS_ENABLED=true TLS=true TIMEOUT=2s ALLOWED_ORIGINS=https://a.example,https://b.example \
      PUBLIC_URL=https://orders.example API_TOKEN=tok-123 CACHE_TTL_SECS=300 SAMPLE_RATE=0.25 \
      DB_HOST=db.internal DB_PORT=5432
  else
    for i in $(seq -f '%03g' 0 199); do echo "BIG_F$i=$((10#$i))"; done
  fi
}

ratio() { # ratio GROUP A B: mean(A) / mean(B) from criterion's estimates
  python3 - "$@" <<'PY'
import json, sys
group, a, b = sys.argv[1:4]
mean = lambda n: json.load(open(f"target/criterion/{group}/{n}/new/estimates.json"))["mean"]["point_estimate"]
print(f"{group}: {a} {mean(a)/1000:.2f} us, {b} {mean(b)/1000:.2f} us, {a}/{b} = {mean(a)/mean(b):.2f}")
PY
}

# bench_env CONFIG PAD COMMAND...: COMMAND in the loading benchmark's clean environment.
bench_env() {
  local config=$1 pad=$2; shift 2
  local vars
  mapfile -t vars < <(config_vars "$config"; for i in $(seq 1 "$pad"); do echo "PAD_VAR_$i=value-$i"; done)
  env -i PATH="$PATH" HOME="$HOME" CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}" \
    RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}" HEALTH_BENCH_CONFIG="$config" \
    HEALTH_BENCH_ENV="pad$pad" "${vars[@]}" "$@"
}

if [ "$what" = all ] || [ "$what" = load ]; then
  cargo bench --bench load --no-run -q
  # Each config in a clean environment (`env -i`: the config's variables, what cargo and a
  # shell set, and padding), small (30 other variables) and large (1,000 others).
  for config in 20 200; do
    for pad in 30 1030; do
      bench_env "$config" "$pad" cargo bench -q --bench load -- --noplot --warm-up-time 1 --measurement-time 3
      group="load${config}_pad$pad"
      ratio "$group" health_from_env hand_written
      ratio "$group" envy health_from_env
      [ "$config" = 20 ] || ratio "$group" health_per_variable health_from_env
      [ "$config" = 20 ] || ratio "$group" envy env_copy
    done
  done
fi

if [ "$what" = all ] || [ "$what" = instructions ]; then
  # The same loads counted in instructions (callgrind), which a busy or throttled machine
  # does not change: the benchmark binary's count mode runs one loader N times; its start
  # (loader `none`) is subtracted. The environment is the criterion rows' one, but outside
  # cargo (a few variables fewer).
  command -v valgrind >/dev/null || { echo "run.sh: instructions need valgrind (Debian package valgrind)" >&2; exit 1; }
  bin=$(cargo bench --bench load --no-run --message-format=json -q \
    | python3 -c 'import json, sys; print([m["executable"] for m in map(json.loads, sys.stdin) if m.get("executable")][-1])')
  instructions() { # instructions CONFIG PAD LOADER:N
    bench_env "$1" "$2" HEALTH_BENCH_COUNT="$3" valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" 2>&1 \
      | awk '/Collected/ { gsub(",", "", $4); print $4 }'
  }
  for config in 20 200; do
    for pad in 30 1030; do
      n=2000; [ "$config" = 20 ] || n=200
      base=$(instructions "$config" "$pad" none:$n)
      python3 - "$config" "$pad" "$n" "$base" \
        "$(instructions "$config" "$pad" health:$n)" "$(instructions "$config" "$pad" hand:$n)" \
        "$(instructions "$config" "$pad" envy:$n)" <<'PY'
import sys
config, pad, n, base, health, hand, envy = sys.argv[1:3] + [int(a) for a in sys.argv[3:]]
per = lambda total: (total - base) / n
h, k, e = per(health), per(hand), per(envy)
print(f"instructions, {config} variables, pad {pad}: health {h:,.0f}, hand-written {k:,.0f}, envy {e:,.0f} per load; "
      f"health/hand-written = {h/k:.3f}, envy/health = {e/h:.2f}")
PY
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

if [ "$what" = all ] || [ "$what" = build ]; then
  # Cold build, rebuild and derive expansion against envy + serde, side by side.
  benches/build.sh "${@:2}"
fi
