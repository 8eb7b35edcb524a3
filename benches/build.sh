#!/usr/bin/env bash
# Build-time cost of depending on health-contract, each figure a ratio against the same app
# on envy + serde measured side by side in this run (medians, rounds alternating):
#   cold build     a 4-field app, its target directory removed, `cargo build` (debug)
#   rebuild        a 100-field app, after touching src/main.rs, `cargo build`
#   expansion      the derive on a 100-field struct against serde's `Deserialize`: rustc's own
#                  time for its `expand_crate` pass (`-Z time-passes`, through RUSTC_BOOTSTRAP=1)
#
#   benches/build.sh             the three rows, then a table for the README
#   benches/build.sh --explain   the same, then one more cold build of the 4-field health app
#                                with `--timings`: its slowest units and its critical path
#
# The scratch crates live in ${TMPDIR:-/tmp}/health-build-bench, each its own workspace with its
# own target directory; their dependencies are fetched first (never timed), builds are --offline.
# The results are also written to target/build-bench.txt. It only prints: no pass/fail.
set -euo pipefail

usage() { sed -n '2,/^[^#]/{/^#/p}' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

explain=0
for arg in "$@"; do
  case "$arg" in
    --explain) explain=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "build.sh: unknown argument '$arg'" >&2; usage >&2; exit 2 ;;
  esac
done

for tool in cargo rustc python3; do
  command -v "$tool" >/dev/null || { echo "build.sh: '$tool' is needed and not on PATH" >&2; exit 1; }
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${TMPDIR:-/tmp}/health-build-bench"
results="$root/target/build-bench.txt"
cold_rounds=3 rebuild_rounds=15 expand_rounds=7

# A compiler cache would turn cold builds into copies, and a shared target directory would
# let one crate's build reuse the other's; both are set aside for this script.
for var in RUSTC_WRAPPER CARGO_BUILD_RUSTC_WRAPPER CARGO_TARGET_DIR CARGO_BUILD_TARGET_DIR; do
  if [ -n "${!var:-}" ]; then echo "build.sh: ignoring $var=${!var}"; unset "$var"; fi
done

now() { date +%s.%N; }
calc() { python3 -c "import sys; print(eval(sys.argv[1]))" "$1"; }
median() { python3 -c "import statistics, sys; print(statistics.median(float(a) for a in sys.argv[1:]))" "$@"; }
fmt() { python3 -c "import sys; print(f'{float(sys.argv[1]):.{int(sys.argv[2])}f}')" "$1" "$2"; } # fmt VALUE DECIMALS
script_start=$(now)

# --- scratch crates ------------------------------------------------------------------------

health_dep="health-contract = { path = '$root', default-features = false }"
# A crate from a registry is compiled without incremental compilation, a path dependency with
# it; the health side is a path dependency only to measure this checkout, so it is built as
# a user's registry dependency would be.
health_profile="[profile.dev.package.health-contract]
incremental = false
[profile.dev.package.health-core]
incremental = false
[profile.dev.package.health-derive]
incremental = false"
envy_dep='serde = { version = "1", features = ["derive"] }
envy = "0.4"'
serde_dep='serde = { version = "1", features = ["derive"] }'

fields4() {
  printf '    database_url: String,\n    port: u16,\n    workers: u32,\n    debug: bool,\n'
}
fields100() { # f000..f099, alternating u32 and String
  local i
  for ((i = 0; i < 100; i++)); do
    if ((i % 2)); then printf '    f%03d: String,\n' "$i"; else printf '    f%03d: u32,\n' "$i"; fi
  done
}

make_crate() { # make_crate NAME KIND(bin|lib) DEPENDENCIES PROFILE DERIVE FIELDS-FUNCTION [MAIN-EXPRESSION [USE]]
  local name=$1 kind=$2 deps=$3 profile=$4 derive=$5 fields=$6 expr=${7:-} use=${8:-}
  mkdir -p "$work/$name/src"
  cat > "$work/$name/Cargo.toml" <<TOML
[package]
name = "$name"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
$deps

$profile

[workspace]
TOML
  if [ "$kind" = bin ]; then
    {
      if [ -n "$use" ]; then echo "$use"; echo; fi
      echo "#[derive($derive)]"
      echo "#[allow(dead_code)]"
      echo "struct Config {"; "$fields"; echo "}"
      echo
      echo "fn main() {"
      echo "    println!(\"{:?}\", $expr);"
      echo "}"
    } > "$work/$name/src/main.rs"
  else
    {
      echo "#[derive($derive)]"
      echo "#[allow(dead_code)]"
      echo "pub struct Config {"; "$fields"; echo "}"
    } > "$work/$name/src/lib.rs"
  fi
}

# run_cargo CRATE ARGS...: cargo ARGS in CRATE with its own target directory, output in
# CRATE/last.log; on failure, says so with the end of the log and exits.
run_cargo() {
  local crate=$1; shift
  if ! (cd "$work/$crate" && CARGO_TARGET_DIR="$work/$crate/target" cargo "$@") > "$work/$crate/last.log" 2>&1; then
    echo "build.sh: \`cargo $*\` failed in $work/$crate; the end of its output:" >&2
    tail -n 30 "$work/$crate/last.log" | sed 's/^/    /' >&2
    case "$crate" in
      *health*) echo "build.sh: the health side builds $root as it is now; if someone is mid-edit there, retry later." >&2 ;;
    esac
    exit 1
  fi
}

# The health side is built from the checkout as it is: a source edited during a row would be
# rebuilt inside a timed build (or change the code between rounds). Each row checks for that.
warnings=()
row_start() { touch "$work/.row-start"; }
row_check() { # row_check ROW-NAME: a warning if a health source changed since row_start
  local changed
  changed=$(find "$root/Cargo.toml" "$root/src" "$root/health-core" "$root/health-derive" \
    -name target -prune -o -type f -newer "$work/.row-start" -print 2>/dev/null | head -n 1)
  if [ -n "$changed" ]; then
    warnings+=("warning: $changed changed during the $1 row: its health figures may include rebuilding the health crates; re-run on a quiet tree")
    echo "${warnings[-1]}"
  fi
}

timed_build() { # timed_build CRATE: seconds taken by `cargo build --offline -q` in CRATE
  local t0 t1
  t0=$(now)
  run_cargo "$1" build --offline -q
  t1=$(now)
  calc "$t1 - $t0"
}

echo "build.sh: scratch crates in $work (health-contract from $root)"
rm -rf "$work" && mkdir -p "$work"
# Six debug target directories at about 100 MB each at most, one at a time mostly; a full disk
# shows up as a linker's bus error halfway through, so it is checked first.
free_mb=$(df -Pm "$work" | awk 'NR == 2 { print $4 }')
if [ "${free_mb:-0}" -lt 1024 ]; then
  echo "build.sh: only ${free_mb:-0} MB free on the disk holding $work; it needs about 1 GB (set TMPDIR to another disk)" >&2
  exit 1
fi
make_crate app4_health bin "$health_dep" "$health_profile" "Debug, health::ReadinessContract" fields4 "Config::from_env()" "use health::ReadinessContract as _; // the trait, for from_env"
make_crate app4_envy bin "$envy_dep" "" "Debug, serde::Deserialize" fields4 "envy::from_env::<Config>()"
make_crate app100_health bin "$health_dep" "$health_profile" "Debug, health::ReadinessContract" fields100 "Config::from_env()" "use health::ReadinessContract as _; // the trait, for from_env"
make_crate app100_envy bin "$envy_dep" "" "Debug, serde::Deserialize" fields100 "envy::from_env::<Config>()"
make_crate lib100_health lib "$health_dep" "$health_profile" "health::ReadinessContract" fields100
make_crate lib100_serde lib "$serde_dep" "" "serde::Deserialize" fields100

echo "build.sh: fetching dependencies (not timed)"
for c in app4_health app4_envy app100_health app100_envy lib100_health lib100_serde; do
  if ! (cd "$work/$c" && cargo fetch -q) > "$work/$c/last.log" 2>&1; then
    echo "build.sh: \`cargo fetch\` failed in $work/$c (no network?); trying with what is cached"
    run_cargo "$c" fetch --offline -q
  fi
done

rustc_version=$(rustc --version)
echo "build.sh: $rustc_version, $(nproc) cores; the machine's other load shows in every figure"
echo

# --- row 1: cold build, 4-field app ---------------------------------------------------------

# alternate LABEL ROUNDS DIGITS PREPARE HEALTH ENVY: builds the crates HEALTH and ENVY in
# turn, ROUNDS times, each after `PREPARE CRATE`; sets med_h, med_e and ratio.
alternate() {
  local label=$1 rounds=$2 digits=$3 prepare=$4 health=$5 envy=$6 r t u
  local times_h=() times_e=()
  row_start
  for ((r = 1; r <= rounds; r++)); do
    "$prepare" "$health"; t=$(timed_build "$health"); times_h+=("$t")
    "$prepare" "$envy"; u=$(timed_build "$envy"); times_e+=("$u")
    echo "  $label $r/$rounds: health $(fmt "$t" "$digits") s, envy+serde $(fmt "$u" "$digits") s"
  done
  med_h=$(median "${times_h[@]}") med_e=$(median "${times_e[@]}")
  ratio=$(calc "$med_h / $med_e")
}
clean_target() { rm -rf "$work/$1/target"; }
touch_main() { touch "$work/$1/src/main.rs"; }

alternate "cold build" "$cold_rounds" 2 clean_target app4_health app4_envy
cold_hm=$med_h cold_em=$med_e cold_ratio=$ratio
row1="cold build, 4-field app: health $(fmt "$cold_hm" 2) s, envy+serde $(fmt "$cold_em" 2) s, ratio $(fmt "$cold_ratio" 2) (target <= 1.2)"
echo "$row1"
row_check "cold build"
rm -rf "$work/app4_health/target" "$work/app4_envy/target"   # only disk space from here on
echo

# --- row 2: rebuild after touching main.rs, 100-field app -----------------------------------

run_cargo app100_health build --offline -q
run_cargo app100_envy build --offline -q
alternate rebuild "$rebuild_rounds" 3 touch_main app100_health app100_envy
reb_hm=$med_h reb_em=$med_e reb_ratio=$ratio
row2="rebuild after touching main.rs, 100-field app: health $(fmt "$reb_hm" 3) s, envy+serde $(fmt "$reb_em" 3) s, ratio $(fmt "$reb_ratio" 2) (target <= 1.0)"
echo "$row2"
row_check rebuild
rm -rf "$work/app100_health/target" "$work/app100_envy/target"
echo

# --- row 3: derive expansion, 100 fields ----------------------------------------------------

# rustc's `expand_crate` pass covers all macro expansion, proc-macro derives included (it
# encloses `macro_expand_crate`); the JSON form of -Z time-passes gives it to the nanosecond.
expand_pass=expand_crate
tp_flags=(-Z time-passes -Z time-passes-format=json)

expand_time() { # expand_time CRATE: seconds of the expand_crate pass in the last log, or nothing
  python3 - "$work/$1/last.log" "$expand_pass" <<'PY'
import json, re, sys
log, name = sys.argv[1:3]
for line in open(log, errors="replace"):
    if not line.startswith("time:"):
        continue
    rest = line[5:].strip()
    if rest.startswith("{"):
        entry = json.loads(rest)
        if entry.get("pass") == name:
            print(entry["time"]); break
    else:  # text form: "time:   0.004; rss: ...	expand_crate"
        m = re.match(r"([0-9.]+);.*\s(\S+)$", rest)
        if m and m.group(2) == name:
            print(m.group(1)); break
PY
}

# Which measure works on this toolchain, decided on the serde side (no health code involved):
# -Z time-passes in JSON, else in text (to the millisecond), else `cargo check` time.
mode=passes
touch "$work/lib100_serde/src/lib.rs"
if ! (cd "$work/lib100_serde" && CARGO_TARGET_DIR="$work/lib100_serde/target" RUSTC_BOOTSTRAP=1 \
      cargo rustc --offline -q -- "${tp_flags[@]}") > "$work/lib100_serde/last.log" 2>&1; then
  echo "build.sh: rustc refused -Z time-passes-format=json; using the text form, to the millisecond"
  tp_flags=(-Z time-passes)
  touch "$work/lib100_serde/src/lib.rs"
  RUSTC_BOOTSTRAP=1 run_cargo lib100_serde rustc --offline -q -- "${tp_flags[@]}"
fi
if [ -z "$(expand_time lib100_serde)" ]; then
  mode=check
  echo "build.sh: no '$expand_pass' pass in rustc's -Z time-passes output on this toolchain: the"
  echo "build.sh: expansion row falls back to \`cargo check\` time of each lib crate after touching it"
  run_cargo lib100_serde check --offline -q
fi

expand_once() { # expand_once CRATE: seconds for one measure of CRATE after touching src/lib.rs
  local t0 t1 s
  touch "$work/$1/src/lib.rs"
  if [ "$mode" = passes ]; then
    RUSTC_BOOTSTRAP=1 run_cargo "$1" rustc --offline -q -- "${tp_flags[@]}"
    s=$(expand_time "$1")
    if [ -z "$s" ]; then
      echo "build.sh: no '$expand_pass' line in the -Z time-passes output of $1 ($work/$1/last.log)" >&2
      exit 1
    fi
    echo "$s"
  else
    t0=$(now)
    run_cargo "$1" check --offline -q
    t1=$(now)
    calc "$t1 - $t0"
  fi
}

expand_once lib100_health > /dev/null   # builds its dependencies; the serde side's are built above
row_start
exp_h=() exp_s=()
for ((r = 1; r <= expand_rounds; r++)); do
  t=$(expand_once lib100_health); exp_h+=("$t")
  u=$(expand_once lib100_serde); exp_s+=("$u")
  echo "  expansion $r/$expand_rounds: health $(fmt "$(calc "$t * 1000")" 2) ms, serde $(fmt "$(calc "$u * 1000")" 2) ms"
done
exp_hm=$(median "${exp_h[@]}") exp_sm=$(median "${exp_s[@]}")
exp_ratio=$(calc "$exp_hm / $exp_sm")
if [ "$mode" = passes ]; then
  exp_what="derive expansion, 100 fields (rustc $expand_pass)"
  exp_cmd="touch src/lib.rs && RUSTC_BOOTSTRAP=1 cargo rustc --offline -q -- ${tp_flags[*]}"
else
  exp_what="derive expansion, 100 fields (FALLBACK: cargo check time, expand_crate not isolated)"
  exp_cmd="touch src/lib.rs && cargo check --offline -q"
fi
row3="$exp_what: health $(fmt "$(calc "$exp_hm * 1000")" 2) ms, serde Deserialize $(fmt "$(calc "$exp_sm * 1000")" 2) ms, ratio $(fmt "$exp_ratio" 2) (target <= 1.0)"
echo "$row3"
row_check expansion
rm -rf "$work/lib100_health/target" "$work/lib100_serde/target"
echo

# --- summary ---------------------------------------------------------------------------------

table="| measure | command (in each scratch crate) | health-contract | envy + serde | ratio | target |
|---|---|---|---|---|---|
| cold debug build, 4-field app (median of $cold_rounds) | \`rm -rf target && cargo build --offline -q\` | $(fmt "$cold_hm" 2) s | $(fmt "$cold_em" 2) s | $(fmt "$cold_ratio" 2) | <= 1.2 |
| rebuild after touching \`main.rs\`, 100-field app (median of $rebuild_rounds) | \`touch src/main.rs && cargo build --offline -q\` | $(fmt "$reb_hm" 3) s | $(fmt "$reb_em" 3) s | $(fmt "$reb_ratio" 2) | <= 1.0 |
| derive expansion, 100 fields, against serde \`Deserialize\` (median of $expand_rounds) | \`$exp_cmd\`$([ "$mode" = passes ] && echo ", its \`$expand_pass\` line") | $(fmt "$(calc "$exp_hm * 1000")" 2) ms | $(fmt "$(calc "$exp_sm * 1000")" 2) ms | $(fmt "$exp_ratio" 2) | <= 1.0 |"

elapsed=$(calc "$(now) - $script_start")
footer="benches/build.sh, $(date -u +%Y-%m-%dT%H:%MZ), $rustc_version, $(nproc) cores, $(fmt "$elapsed" 0) s in all"
echo "$table"
echo
echo "$footer"
if [ "${#warnings[@]}" -gt 0 ]; then printf '%s\n' "${warnings[@]}"; fi

mkdir -p "$(dirname "$results")"
{
  printf '%s\n%s\n%s\n\n%s\n\n%s\n' "$row1" "$row2" "$row3" "$table" "$footer"
  if [ "${#warnings[@]}" -gt 0 ]; then printf '%s\n' "${warnings[@]}"; fi
} > "$results"
echo "build.sh: written to $results"

# --- --explain: where the health app's cold build goes --------------------------------------

if [ "$explain" = 1 ]; then
  echo
  echo "build.sh --explain: one more cold build of app4_health with --timings"
  rm -rf "$work/app4_health/target"
  run_cargo app4_health build --offline -q --timings
  html=$(ls -t "$work/app4_health/target/cargo-timings/"cargo-timing-*.html 2>/dev/null | head -n 1 || true)
  if [ -z "$html" ]; then
    echo "build.sh: no cargo-timing-*.html under $work/app4_health/target/cargo-timings" >&2
    exit 1
  fi
  python3 - "$html" <<'PY'
import json, re, sys
html = open(sys.argv[1]).read()
m = re.search(r"const UNIT_DATA = (\[.*?\]);\n", html, re.S)
if not m:
    sys.exit(f"build.sh: no UNIT_DATA in {sys.argv[1]} (cargo's timings format changed?)")
units = json.loads(m.group(1))
name = lambda u: f"{u['name']} v{u['version']}" + (f" ({u['target'].strip()})" if u.get("target", "").strip() else "")
end = lambda u: u["start"] + u["duration"]
total = max(end(u) for u in units)
print(f"{len(units)} units, {total:.2f} s wall ({sys.argv[1]})")
print("slowest units:")
for u in sorted(units, key=lambda u: -u["duration"])[:12]:
    print(f"  {u['duration']:7.2f} s  start {u['start']:6.2f}  {name(u)}")
# Critical path: from the unit that ends last, back through the unit whose completion (or
# metadata, with pipelining) unblocked it: the chain that set the build's wall time.
# (cargo names the lists unblocked_units/unblocked_rmeta_units; older ones said "unlocked".)
unblocked_by = {}
for u in units:
    for key, how in (("unblocked_units", ""), ("unlocked_units", ""),
                     ("unblocked_rmeta_units", " (the next unblocked by its metadata)"),
                     ("unlocked_rmeta_units", " (the next unblocked by its metadata)")):
        for j in u.get(key) or []:
            unblocked_by.setdefault(j, []).append((u, how))
path, u, how = [], max(units, key=end), ""
while u is not None:
    path.append((u, how))
    preds = unblocked_by.get(u["i"], [])
    u, how = max(preds, key=lambda p: end(p[0])) if preds else (None, "")
print("critical path (first to last; each unit unblocked the next):")
for u, how in reversed(path):
    print(f"  start {u['start']:6.2f}  {u['duration']:6.2f} s  {name(u)}{how}")
PY
  cp "$html" "$work/cargo-timing.html"
  rm -rf "$work/app4_health/target"
  echo "cargo's report: $work/cargo-timing.html"
fi

echo "build.sh: done in $(fmt "$(calc "$(now) - $script_start")" 0) s"
