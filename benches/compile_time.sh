#!/usr/bin/env bash
# Compile time of the derive on a 100-field struct against serde's `Deserialize` derive on the
# same struct: two scratch crates sharing one target directory; dependencies are built first,
# then each crate is rebuilt after touching its source, 5 times, alternating.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${TMPDIR:-/tmp}/health-compile-time"
rm -rf "$work" && mkdir -p "$work"
export CARGO_TARGET_DIR="$work/target"

fields() { # fields ATTR: 100 fields, alternating u32 and String
  for i in $(seq -f '%03g' 0 99); do
    if (( 10#$i % 2 )); then echo "    f$i: String,"; else echo "    f$i: u32,"; fi
  done
}

make_crate() { # make_crate NAME DEP DERIVE USE
  mkdir -p "$work/$1/src"
  cat > "$work/$1/Cargo.toml" <<TOML
[package]
name = "$1"
version = "0.1.0"
edition = "2024"

[dependencies]
$2

[workspace]
TOML
  { echo "$4"; echo "#[derive($3)]"; echo "#[allow(dead_code)]"; echo "pub struct Big {"; fields; echo "}"; } > "$work/$1/src/lib.rs"
}

make_crate ct_health "health = { path = \"$root\" }" "health::ReadinessContract" ""
make_crate ct_serde 'serde = { version = "1", features = ["derive"] }' "serde::Deserialize" ""

for c in ct_health ct_serde; do (cd "$work/$c" && cargo build -q); done

declare -A total=([ct_health]=0 [ct_serde]=0)
for run in 1 2 3 4 5; do
  for c in ct_health ct_serde; do
    touch "$work/$c/src/lib.rs"
    start=$(date +%s.%N)
    (cd "$work/$c" && cargo build -q)
    end=$(date +%s.%N)
    total[$c]=$(echo "${total[$c]} + $end - $start" | bc -l)
  done
done
h=$(echo "${total[ct_health]} / 5" | bc -l)
s=$(echo "${total[ct_serde]} / 5" | bc -l)
printf 'compile time, 100-field struct (mean of 5 rebuilds): ReadinessContract %.3f s, serde Deserialize %.3f s, ratio %.2f\n' "$h" "$s" "$(echo "$h / $s" | bc -l)"
