#!/usr/bin/env bash
# Coverage-guided fuzzing of one target, on the stable toolchain.
#
#   fuzz/run.sh TARGET SECONDS              fuzz for SECONDS
#   fuzz/run.sh TARGET SECONDS --minimize   fuzz, then minimize the checked-in corpus
#   fuzz/run.sh TARGET 0 --minimize         minimize only
#
# TARGET is one of: values from_vars respond dotenv name_file reload relations manifest (fuzz/fuzz_targets/*.rs; the
# properties are in fuzz/src/lib.rs, replayed by `cargo test --test fuzz_corpus`).
#
# Installs cargo-fuzz (`cargo install cargo-fuzz --locked`) if missing, builds the target with
# AddressSanitizer (cargo fuzz's default) and debug assertions, with RUSTC_BOOTSTRAP=1 so the
# stable toolchain accepts `-Zsanitizer`, and runs it for SECONDS (`-max_total_time`) with
# fuzz/dicts/TARGET.dict, starting from the checked-in corpus fuzz/corpus/TARGET. New inputs
# go to fuzz/work/TARGET (not checked in); a failing input is saved in fuzz/artifacts/TARGET/
# (check it in: the replay test runs it). Prints executions and coverage at the end.
#
# --minimize merges fuzz/work/TARGET and fuzz/corpus/TARGET into the smallest set of inputs
# covering the same edges (libFuzzer's -set_cover_merge=1, edges only: -use_counters=0), which
# replaces fuzz/corpus/TARGET (tens to a few hundred small files rather than thousands). Inputs
# named regression-* (past findings, each with its fix) are always kept.
set -euo pipefail
cd "$(dirname "$0")"

target=${1:?usage: fuzz/run.sh TARGET SECONDS [--minimize]}
seconds=${2:?usage: fuzz/run.sh TARGET SECONDS [--minimize]}
minimize=${3:-}
[ -f "fuzz_targets/$target.rs" ] || { echo "no target $target" >&2; exit 2; }

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1

corpus="corpus/$target"
work="work/$target"
mkdir -p "$corpus" "$work" "artifacts/$target"
log="work/$target.log"

cargo fuzz build --debug-assertions "$target"

if [ "$seconds" -gt 0 ]; then
  status=0
  cargo fuzz run --debug-assertions "$target" "$work" "$corpus" -- \
    -dict="dicts/$target.dict" -max_total_time="$seconds" -print_final_stats=1 \
    >"$log" 2>&1 || status=$?
  echo "--- $target, $seconds s (log: fuzz/$log):"
  grep -E "^#[0-9]+\s+(DONE|INITED)|^Done [0-9]+ runs|stat::number_of_executed_units|stat::peak_rss_mb" "$log" || true
  if [ "$status" -ne 0 ]; then
    tail -n 40 "$log" >&2
    echo "$target FAILED: see fuzz/$log and fuzz/artifacts/$target/" >&2
    exit "$status"
  fi
fi

if [ "$minimize" = "--minimize" ]; then
  merged="work/$target.merged"
  rm -rf "$merged" && mkdir -p "$merged"
  status=0
  cargo fuzz run --debug-assertions "$target" "$merged" "$corpus" "$work" -- \
    -set_cover_merge=1 -use_counters=0 -use_value_profile=0 >"work/$target.merge.log" 2>&1 || status=$?
  grep -E "MERGE-OUTER: [0-9]+ new files" "work/$target.merge.log" || true
  # Replace the checked-in corpus only with a merge that worked.
  if [ "$status" -ne 0 ] || [ -z "$(ls -A "$merged")" ]; then
    tail -n 20 "work/$target.merge.log" >&2
    echo "$target: minimizing failed, fuzz/$corpus left as it was" >&2
    exit 1
  fi
  # Past findings stay as they are, under their own names, whatever the merge kept.
  find "$corpus" -maxdepth 1 -name 'regression-*' -exec cp {} "$merged"/ \;
  rm -rf "$corpus" && mv "$merged" "$corpus"
  echo "--- $target corpus: $(ls "$corpus" | wc -l) files, $(cat "$corpus"/* | wc -c) bytes"
fi
