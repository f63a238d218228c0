#!/usr/bin/env bash
# DOCX benchmark: N generated activities (bench/generate.rs) rendered cold to
#   markdown, docx, and typst,markdown,docx (the issue-11 target: 10,000 in under 15 s),
# with hyperfine (output folder removed before each run). The DOCX cost per activity is
# (docx − markdown) ÷ N, both cold runs writing the same number of documents.
#   bash bench/docx.sh                 # N=10000, RUNS=3
#   N=1000 RUNS=5 bash bench/docx.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-10000}
RUNS=${RUNS:-3}
PER_BRANCH=${PER_BRANCH:-50}
SEED=${SEED:-1}
if [ -z "${WORK:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then WORK=/dev/shm/pdb-bench; fi
WORK=${WORK:-$PWD/target/bench}
command -v hyperfine >/dev/null || { echo "hyperfine is not installed: apt install hyperfine" >&2; exit 1; }
cargo build --release --quiet --bin pdb --example generate
mkdir -p "$WORK/bin"
cp target/release/pdb "$WORK/bin/pdb-docx"
branches=$(( (N + PER_BRANCH - 1) / PER_BRANCH ))
tree="$WORK/county-$N-b$branches-s$SEED"
if [ ! -f "$tree/.complete" ]; then
  rm -rf "$tree"
  target/release/examples/generate --activities "$N" --branches "$branches" --seed "$SEED" --out "$tree" >&2
  touch "$tree/.complete"
fi
out="$WORK/out-docx"
export NO_COLOR=1 PDB_TYPST=none
hyperfine --runs "$RUNS" --warmup 1 --prepare "rm -rf $out" --export-json "$WORK/docx.json" \
  -n markdown "$WORK/bin/pdb-docx render $tree -o $out -q --format markdown" \
  -n docx "$WORK/bin/pdb-docx render $tree -o $out -q --format docx" \
  -n "typst,markdown,docx" "$WORK/bin/pdb-docx render $tree -o $out -q --format typst,markdown,docx"
"$WORK/bin/pdb-docx" render "$tree" -o "$out" -q --format docx >/dev/null || true
echo "docx files: $(find "$out" -name '*.docx' | wc -l), bytes: $(find "$out" -name '*.docx' -printf '%s\n' | awk '{s+=$1} END {print s}')"
