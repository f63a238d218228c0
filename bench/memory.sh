#!/usr/bin/env bash
# Peak memory against the number of activities, and the CI-matrix path at scale:
#   (a) `pdb check` and `pdb render --format markdown` of N generated activities, for N in SIZES:
#       peak RSS (GNU time) and wall/CPU time, one run each (memory does not need hyperfine);
#   (b) `pdb render --shard k/SHARDS` for every k, then `pdb index`, on the largest N (Markdown
#       only): each shard's time, the index's, the sum of CPU time.
# Results go into BENCHMARKS.md by hand. Trees are generated once into $TREES (as bench/batch.sh).
#
#   bash bench/memory.sh                         # SIZES="1000 10000 100000" SHARDS=4
#   SIZES="1000 10000" bash bench/memory.sh      # quick
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-"1000 10000 100000"}
PER_BRANCH=${PER_BRANCH:-50}
SHARDS=${SHARDS:-4}
SEED=${SEED:-1}
if [ -z "${WORK:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then WORK=/dev/shm/pdb-bench-memory; fi
WORK=${WORK:-$PWD/target/bench}
TREES=${TREES:-$WORK}
[ -x /usr/bin/time ] || { echo "GNU time is not installed: apt install time" >&2; exit 1; }

cargo build --release --quiet --bin pdb --example generate
mkdir -p "$WORK/bin" "$TREES"
cp target/release/pdb "$WORK/bin/pdb-mem"
cp target/release/examples/generate "$WORK/bin/generate"
PDB=$WORK/bin/pdb-mem
export NO_COLOR=1

GEN=$WORK/bin/generate
# county N: the tree of N activities (bench/county.sh).
source bench/county.sh   # the cwd is the checkout (see the cd above)

# "peak-MB wall-s cpu-s" of a command that must succeed.
measure() {
  local log=$WORK/time.log
  /usr/bin/time -f '%M %e %U %S' -o "$log" "$@" >/dev/null 2>"$WORK/stderr.log" || {
    echo "FAILED: $*" >&2; tail -5 "$WORK/stderr.log" >&2; exit 1; }
  awk '{ printf "%d %.2f %.2f\n", $1 / 1024, $2, $3 + $4 }' "$log"
}

echo "pdb $("$PDB" --version | cut -d' ' -f2), $(git log -1 --format='%h' 2>/dev/null); $(nproc) cores; $(date -u +%FT%TZ)" >&2
echo "| command | activities | peak RSS | wall | CPU |"
echo "|---|---:|---:|---:|---:|"
for n in $SIZES; do
  dir=$(county "$n")
  read -r mb wall cpu < <(measure "$PDB" check "$dir" -q)
  echo "| check | $n | $mb MB | $wall s | $cpu s |"
  rm -rf "$WORK/mem-out"
  read -r mb wall cpu < <(measure "$PDB" render "$dir" -o "$WORK/mem-out" --format markdown -q)
  echo "| render --format markdown | $n | $mb MB | $wall s | $cpu s |"
  read -r mb wall cpu < <(measure "$PDB" check "$dir" --json)
  echo "| check --json | $n | $mb MB | $wall s | $cpu s |"
  rm -rf "$WORK/mem-out"
done

# (b) the CI matrix on one machine: each shard as a runner would run it, then the index.
n=$(echo $SIZES | awk '{print $NF}')
dir=$(county "$n")
rm -rf "$WORK/shard-out"
total=0
for k in $(seq 1 "$SHARDS"); do
  read -r mb wall cpu < <(measure "$PDB" render "$dir" -o "$WORK/shard-out" --format markdown --shard "$k/$SHARDS" -q)
  echo "| render --shard $k/$SHARDS --format markdown | $n | $mb MB | $wall s | $cpu s |"
  total=$(echo "$total + $cpu" | bc -l)
done
read -r mb wall cpu < <(measure "$PDB" index "$dir" -o "$WORK/shard-out" --format markdown -q)
echo "| index --format markdown (after the shards) | $n | $mb MB | $wall s | $cpu s |"
total=$(echo "$total + $cpu" | bc -l)
printf '\nshards + index: %.1f s of CPU for %s activities, %.0f activities per core-second\n' "$total" "$n" "$(echo "$n / $total" | bc -l)"
rm -rf "$WORK/shard-out"
