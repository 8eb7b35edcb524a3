#!/usr/bin/env bash
# Regenerates the checked-in gRPC health code, health-core/src/grpc/grpc.health.v1.rs, and
# the service's encoded file descriptor set, health-core/src/grpc/health_descriptor.bin (what
# `health::grpc::FILE_DESCRIPTOR_SET` serves to reflection clients), from
# health-core/proto/grpc/health/v1/health.proto, as they were first generated: a scratch
# crate whose build.rs runs tonic-prost-build (messages, client and server; no transport
# helpers) and has prost-build keep protoc's descriptor set.
#
#   health-core/proto/regenerate.sh          rewrite both files in place
#   health-core/proto/regenerate.sh --check  regenerate into a temporary directory and compare
#                                            with the checked-in files: exit 1 if either differs
#
# Run it after changing the .proto, or with --check after bumping tonic, to see whether the
# pinned generator still matches. It needs `protoc` on PATH and downloads tonic-prost-build
# from the package registry, so CI does not run it: the build itself needs neither.
set -euo pipefail

# The generator that wrote the checked-in file, matching tonic 0.14.9 in Cargo.lock, and the
# two crates under it that shape its text: prost-build writes the messages, prettyplease lays
# out the code. Pinned exactly, so that a new release of either changes nothing here unasked.
# After bumping tonic, bump them together (each may be overridden from the environment, e.g.
# `TONIC_PROST_BUILD_VERSION=0.14.10 health-core/proto/regenerate.sh --check`).
TONIC_PROST_BUILD_VERSION=${TONIC_PROST_BUILD_VERSION:-0.14.9}
PROST_BUILD_VERSION=${PROST_BUILD_VERSION:-0.14.4}
PRETTYPLEASE_VERSION=${PRETTYPLEASE_VERSION:-0.2.37}

usage() {
  sed -n '2,12s/^# \{0,1\}//p' "$0"
}

mode=write
case "${1-}" in
  "") ;;
  --check) mode=check ;;
  -h | --help)
    usage
    exit 0
    ;;
  *)
    usage >&2
    exit 2
    ;;
esac
[ $# -le 1 ] || {
  usage >&2
  exit 2
}

proto_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
crate_dir=$(dirname "$proto_dir")
proto=$proto_dir/grpc/health/v1/health.proto
checked_in=$crate_dir/src/grpc/grpc.health.v1.rs
shown=health-core/src/grpc/grpc.health.v1.rs
descriptor_name=health_descriptor.bin
checked_in_descriptor=$crate_dir/src/grpc/$descriptor_name
shown_descriptor=health-core/src/grpc/$descriptor_name

# prost-build runs $PROTOC if set, else `protoc` from PATH.
protoc=${PROTOC:-protoc}
if ! command -v "$protoc" >/dev/null; then
  {
    echo "regenerate.sh: \`$protoc\` not found. Install the Protocol Buffers compiler, e.g. on"
    echo "Debian/Ubuntu \`apt-get install -y protobuf-compiler\` (the checked-in file was"
    echo "generated with Debian 12's, protoc 3.21.12), or set PROTOC to a protoc binary's path."
  } >&2
  exit 1
fi
command -v cargo >/dev/null || {
  echo "regenerate.sh: \`cargo\` is not on PATH" >&2
  exit 1
}

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

if [ "$mode" = check ]; then
  out_dir=$scratch/out
  mkdir "$out_dir"
else
  out_dir=$crate_dir/src/grpc
fi

mkdir "$scratch/crate" "$scratch/crate/src"
cat >"$scratch/crate/Cargo.toml" <<EOF
[package]
name = "regenerate-grpc-health"
version = "0.0.0"
edition = "2024"
publish = false

[build-dependencies]
tonic-prost-build = "=$TONIC_PROST_BUILD_VERSION"
prost-build = "=$PROST_BUILD_VERSION"
prettyplease = "=$PRETTYPLEASE_VERSION"

# Not part of any enclosing workspace.
[workspace]
EOF
echo 'fn main() {}' >"$scratch/crate/src/main.rs"
cat >"$scratch/crate/build.rs" <<'EOF'
use std::env;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = |name: &str| env::var(name).unwrap_or_else(|_| panic!("{name} is not set"));
    // Absolute paths, so that the output does not depend on where cargo runs build.rs.
    let proto = path("HEALTH_PROTO");
    let include = path("HEALTH_PROTO_INCLUDE");
    tonic_prost_build::configure()
        // Messages, client and server; no `tonic::transport` helpers (the client's `connect`),
        // since health-core uses tonic without its transport feature.
        .build_transport(false)
        .out_dir(path("HEALTH_OUT_DIR"))
        // protoc's own output (with imports and source info, prost-build's defaults): the
        // encoded `FileDescriptorSet` that reflection clients are served.
        .file_descriptor_set_path(path("HEALTH_DESCRIPTOR"))
        .compile_protos(&[proto], &[include])?;
    Ok(())
}
EOF

generator="tonic-prost-build $TONIC_PROST_BUILD_VERSION, prost-build $PROST_BUILD_VERSION,"
generator+=" prettyplease $PRETTYPLEASE_VERSION, protoc $("$protoc" --version | sed 's/^libprotoc //')"
echo "regenerate.sh: generating with $generator" >&2
HEALTH_PROTO=$proto HEALTH_PROTO_INCLUDE=$proto_dir HEALTH_OUT_DIR=$out_dir \
  HEALTH_DESCRIPTOR=$out_dir/$descriptor_name \
  CARGO_TARGET_DIR=$scratch/target \
  cargo build --quiet --manifest-path "$scratch/crate/Cargo.toml"

# No rustfmt: the checked-in file is prettyplease's output as tonic-prost-build writes it,
# which `rustfmt --check` does not accept; formatting it would only make regenerating noisy.

if [ "$mode" = check ]; then
  generated=$out_dir/$(basename "$checked_in")
  extra=$(cd "$out_dir" && ls -A | grep -vxF -e "$(basename "$checked_in")" -e "$descriptor_name" || true)
  if [ -n "$extra" ]; then
    echo "regenerate.sh: the .proto now generates more files than $shown and $descriptor_name:" >&2
    echo "$extra" >&2
    exit 1
  fi
  status=0
  if diff -u --label "checked in: $shown" \
    --label "regenerated" "$checked_in" "$generated"; then
    echo "regenerate.sh: $shown is up to date" >&2
  else
    echo "regenerate.sh: $shown differs from what" \
      "$generator generates (above)" >&2
    status=1
  fi
  # Binary: compared byte for byte (a difference shows as the first differing byte).
  if [ -f "$checked_in_descriptor" ] && cmp "$checked_in_descriptor" "$out_dir/$descriptor_name"; then
    echo "regenerate.sh: $shown_descriptor is up to date" >&2
  else
    echo "regenerate.sh: $shown_descriptor is missing or differs from what" \
      "$generator generates" >&2
    status=1
  fi
  exit "$status"
else
  echo "regenerate.sh: wrote $shown and $shown_descriptor" >&2
fi
