#!/usr/bin/env bash
# PDF packets at the typst limit (issue 13): N generated activities (bench/generate.rs) to PDF,
# all in one run, by
#   (a) pdb --pdf-engine bundle   (chunks of activities, one typst process per chunk),
#   (b) pdb --pdf-engine single   (one typst process per packet, today's path),
#   (c) the baseline: `typst compile --jobs 1 --pdf-standard a-2b` of each 00-全套.typ that pdb
#       wrote, one after the other (the per-process cost the issue compares with);
# then (d) one typst bundle of K packets for several K, to choose the chunk size (CPU per packet
# and peak RSS against K).
# CPU time is user + system from GNU time (pdb waits for its typst processes, so theirs counts);
# peak RSS is GNU time's maximum, which is that of the largest single process (a typst).
# The activities are given as files, not as their folder, so that no 台账 is made: the three
# compile the same packets and nothing else. Results go into BENCHMARKS.md by hand.
#
#   bash bench/pdf-bundle.sh               # N=40, -j 2; needs typst >= 0.15, GNU time
#   N=100 JOBS=2 KS="4 8 12 16" bash bench/pdf-bundle.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

N=${N:-40}
JOBS=${JOBS:-2}
KS=${KS:-"2 4 8 12 16 24"}
SEED=${SEED:-1}
TYPST=$(command -v typst) || { echo "typst is not installed: cargo install --locked typst-cli" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time is not installed: apt install time" >&2; exit 1; }

cargo build --release --quiet --bin pdb --example generate
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp target/release/pdb target/release/examples/generate "$WORK/"
PDB=$WORK/pdb
export NO_COLOR=1

"$WORK/generate" --activities "$N" --branches $(( (N + 49) / 50 )) --seed "$SEED" --out "$WORK/in" >&2
find "$WORK/in" -name '*.toml' ! -name branch.toml | sort >"$WORK/files.txt"
echo "$N activities; -j $JOBS; $("$TYPST" --version); $(nproc) cores; $(date -u +%FT%TZ)" >&2

# "cpu_seconds peak_mb" of a command (a function of this script), which must succeed.
measure() {
  local log=$WORK/time.log
  if ! /usr/bin/time -f '%U %S %M' -o "$log" bash -c "$*" >"$WORK/cmd.out" 2>"$WORK/cmd.err"; then
    echo "FAILED: $*" >&2; tail -n 5 "$WORK/cmd.out" "$WORK/cmd.err" >&2; exit 1
  fi
  awk '{ printf "%.2f %d\n", $1 + $2, $3 / 1024 }' "$log"
}

pdb_render() { mapfile -t files <"$WORK/files.txt"; "$PDB" render "${files[@]}" -o "$1" --format pdf --jobs "$JOBS" --typst "$TYPST" --pdf-engine "$2"; }
export -f pdb_render
export PDB WORK JOBS TYPST

read -r single_cpu single_mb < <(measure pdb_render "$WORK/single" single)
read -r bundle_cpu bundle_mb < <(measure pdb_render "$WORK/bundle" bundle)
# The same packets, byte for byte, from both engines.
differ=0
while read -r pdf; do
  cmp -s "$WORK/single/$pdf" "$WORK/bundle/$pdf" || differ=$((differ + 1))
done < <(cd "$WORK/single" && find . -name '*.pdf')
echo "PDFs that differ between the engines: $differ" >&2

# The baseline: each packet source pdb wrote, compiled alone, one after the other.
(cd "$WORK/single" && find . -name '00-全套.typ' | sort) >"$WORK/packets.txt"
mapfile -t PACKETS <"$WORK/packets.txt"
baseline() {
  mapfile -t packets <"$WORK/packets.txt"
  for p in "${packets[@]}"; do
    (cd "$WORK/single/$(dirname "$p")" && "$TYPST" compile --jobs 1 --pdf-standard a-2b --root . 00-全套.typ "$WORK/base.pdf")
  done
}
export -f baseline
read -r base_cpu base_mb < <(measure baseline)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "| what ($N activities) | CPU (user+sys) | against the baseline | peak RSS | PDF activities per core-second |"
echo "|---|---:|---:|---:|---:|"
echo "| baseline: typst compile per packet, one by one | $base_cpu s | 1.00 | $base_mb MB | $(ratio "$N" "$base_cpu") |"
echo "| pdb --pdf-engine single -j $JOBS | $single_cpu s | $(ratio "$single_cpu" "$base_cpu") | $single_mb MB | $(ratio "$N" "$single_cpu") |"
echo "| pdb --pdf-engine bundle -j $JOBS | $bundle_cpu s | **$(ratio "$bundle_cpu" "$base_cpu")** | $bundle_mb MB | $(ratio "$N" "$bundle_cpu") |"

# (d) One bundle of the first K packets, for each K: CPU per packet and peak RSS.
echo
echo "| packets in one typst bundle | CPU | CPU per packet | peak RSS |"
echo "|---:|---:|---:|---:|"
for k in $KS; do
  [ "$k" -le "${#PACKETS[@]}" ] || continue
  main=$WORK/main-$k.typ
  : >"$main"
  for i in $(seq 0 $((k - 1))); do
    p=${PACKETS[$i]#./}
    echo "#document(\"$i/00-全套.pdf\", date: datetime(year: 2026, month: 1, day: 1, hour: 0, minute: 0, second: 0), include \"/$p\")" >>"$main"
  done
  bundle_k() { (cd "$WORK/single" && "$TYPST" compile --jobs 1 --pdf-standard a-2b --features bundle --format bundle --root . - "$WORK/out-$1" <"$WORK/main-$1.typ"); }
  export -f bundle_k
  read -r cpu mb < <(measure bundle_k "$k")
  echo "| $k | $cpu s | $(ratio "$cpu" "$k") s | $mb MB |"
done
