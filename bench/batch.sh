#!/usr/bin/env bash
# Batch benchmark: a synthetic county (bench/generate.rs) rendered by pdb.
#   (a) Typst + Markdown, cold (output folder removed before each run), for each N in SIZES;
#   (b) the no-change re-run of each N (the output of the previous run left in place);
#   (c) --format pdf for PDF_N activities against the baseline of bench/pdf.sh (one
#       `typst compile --jobs 1` per document, JOBS at a time through xargs -P).
# Wall time and CPU time (user + system) with hyperfine, peak RSS with GNU time. Prints a markdown
# table; results go into BENCHMARKS.md by hand. The trees are generated once into $TREES and kept.
# BASE_PDB=<another pdb binary> times it in the same hyperfine runs as (a) and (b), labelled
# "before": compare ratios within one run, the machine is noisy.
#
# Everything lives on tmpfs (/dev/shm) when there is one: on ext4 every cold run first deletes
# ~130,000 files, and ext4 then avoids reusing recently deleted inodes, so creating files gets
# slower with every run (perf: find_inode_bit/recently_deleted under openat). That measures the
# disk's history, not pdb; set WORK=target/bench to measure a real disk anyway.
#
#   bash bench/batch.sh                          # needs hyperfine, GNU time, jq, bc; typst for (c)
#   SIZES="1000" SKIP_PDF=1 bash bench/batch.sh  # quick
#   PROFILE=1 bash bench/batch.sh                # also perf profiles of the largest N, cold and no-change
#   BASE_PDB=/tmp/old/target/release/pdb bash bench/batch.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

SIZES=${SIZES:-"1000 10000"}
PER_BRANCH=${PER_BRANCH:-50}      # activities per branch: about a year of a branch's meetings
RUNS=${RUNS:-5}
PDF_N=${PDF_N:-100}
PDF_RUNS=${PDF_RUNS:-3}
JOBS=${JOBS:-$(nproc)}
SEED=${SEED:-1}
if [ -z "${WORK:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then WORK=/dev/shm/pdb-bench; fi
WORK=${WORK:-$PWD/target/bench}
TREES=${TREES:-$WORK}             # the generated inputs; share them to compare two builds
SKIP_PDF=${SKIP_PDF:-}
PROFILE=${PROFILE:-}
for tool in hyperfine jq bc; do
  command -v $tool >/dev/null || { echo "$tool is not installed: apt install $tool" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "GNU time is not installed: apt install time" >&2; exit 1; }

cargo build --release --quiet --bin pdb --example generate
mkdir -p "$WORK/bin" "$TREES"
# Private copies: another build in this checkout must not swap the binary in the middle of a run.
cp target/release/pdb "$WORK/bin/pdb"
cp target/release/examples/generate "$WORK/bin/generate"
PDB=$WORK/bin/pdb
GEN=$WORK/bin/generate
if [ -n "${BASE_PDB:-}" ]; then cp "$BASE_PDB" "$WORK/bin/pdb-before"; BASE_PDB=$WORK/bin/pdb-before; fi
export NO_COLOR=1

# county N: the tree of N activities (bench/county.sh).
source bench/county.sh   # the cwd is the checkout (see the cd above)

# Peak resident set size in MB of a command (GNU time: the largest single process).
peak_mb() {
  local kb
  kb=$(/usr/bin/time -v "$@" 2>&1 >/dev/null | sed -n 's/.*Maximum resident set size (kbytes): //p')
  echo $(( kb / 1024 ))
}

# One render must succeed before it is timed: hyperfine would time a failing command too.
render_ok() {
  local status=0
  "$@" >"$WORK/last.out" 2>"$WORK/last.err" || status=$?
  if [ "$status" -ne 0 ]; then
    echo "FAILED (exit $status): $*" >&2
    tail -5 "$WORK/last.out" >&2
    head -20 "$WORK/last.err" >&2
    exit 1
  fi
}

ROWS=()
row() { ROWS+=("$1"); echo "$1" >&2; }
# mean, stddev, min and mean CPU (user + system) in seconds from a hyperfine JSON export
stats() { jq -r ".results[${2:-0}]"' | "\(.mean) \(.stddev // 0) \(.min) \(.user + .system)"' "$1"; }

dirty=$(git status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo ' + uncommitted changes' || true)
echo "pdb $("$PDB" --version | cut -d' ' -f2), $(git log -1 --format='%h %s' 2>/dev/null | cut -c1-60)$dirty; $(nproc) cores; $(hyperfine --version); $(date -u +%FT%TZ)" >&2

# The builds measured: this one, and BASE_PDB (another build, e.g. the previous commit's) in
# the same hyperfine runs, so that their ratio is not hurt by a noisy machine.
LABELS=(pdb); BINS=("$PDB")
if [ -n "${BASE_PDB:-}" ]; then LABELS+=(before); BINS+=("$BASE_PDB"); fi

for n in $SIZES; do
  dir=$(county "$n")
  cmds=(); outs=""; cold=(); warm=()
  for i in "${!BINS[@]}"; do
    out="$WORK/out-$n-${LABELS[$i]}"
    cmds+=("${BINS[$i]} render $dir -o $out --format typst,markdown"); outs="$outs $out"
    cold+=(-n "${LABELS[$i]}: cold $n" "${cmds[$i]}")
    warm+=(-n "${LABELS[$i]}: no change $n" "${cmds[$i]}")
  done
  rm -rf $outs
  for c in "${cmds[@]}"; do render_ok $c; done
  echo "N=$n: $(find "$dir" -name '*.toml' ! -name branch.toml | wc -l) activities, $(find "$WORK/out-$n-pdb" -type f | wc -l) output files" >&2
  hyperfine --runs "$RUNS" --warmup 1 --prepare "rm -rf $outs" --export-json "$WORK/cold-$n.json" "${cold[@]}" >&2
  for i in "${!cmds[@]}"; do
    read -r mean sd min cpu < <(stats "$WORK/cold-$n.json" "$i")
    rm -rf $outs
    rss=$(peak_mb ${cmds[$i]})
    row "$(printf '| %s: Typst+Markdown, cold | %s | %.2f s ± %.2f (min %.2f) | %.2f s | %.0f | %s MB |' "${LABELS[$i]}" "$n" "$mean" "$sd" "$min" "$cpu" "$(echo "$n / $mean" | bc -l)" "$rss")"
  done

  # (b) the same command again on its own output: nothing changed
  for c in "${cmds[@]}"; do render_ok $c; done
  hyperfine --runs "$RUNS" --warmup 1 --export-json "$WORK/warm-$n.json" "${warm[@]}" >&2
  for i in "${!cmds[@]}"; do
    read -r mean sd min cpu < <(stats "$WORK/warm-$n.json" "$i")
    rss=$(peak_mb ${cmds[$i]})
    row "$(printf '| %s: no-change re-run | %s | %.3f s ± %.3f (min %.3f) | %.3f s | %.0f | %s MB |' "${LABELS[$i]}" "$n" "$mean" "$sd" "$min" "$cpu" "$(echo "$n / $mean" | bc -l)" "$rss")"
  done

  if [ -n "$PROFILE" ] && [ "$n" = "$(echo $SIZES | awk '{print $NF}')" ]; then
    cmd=${cmds[0]}; out="$WORK/out-$n-pdb"
    rm -rf "$out"
    # DWARF call graphs: the release build has line tables but no frame pointers.
    prof() {
      perf record -F 250 --call-graph dwarf,16384 -o "$WORK/perf-$1-$n.data" $cmd >/dev/null 2>&1
      perf report -i "$WORK/perf-$1-$n.data" --children --sort symbol -g none --percent-limit 2 --stdio 2>/dev/null \
        | grep -v '^#' | grep -v '^$' | grep -v 'inlined\|catch_unwind\|lang_start\|backtrace\|_start' \
        | sed 's/ \{3,\}/ /g' | head -50 >"$WORK/perf-$1-$n.txt" || true  # head closes the pipe early
    }
    prof cold
    prof warm
    echo "profiles: $WORK/perf-cold-$n.txt $WORK/perf-warm-$n.txt" >&2
  fi
done

if [ -z "$SKIP_PDF" ]; then
  TYPST=$(command -v typst) || { echo "typst is not installed: cargo install --locked typst-cli" >&2; exit 1; }
  dir=$(county "$PDF_N")
  out="$WORK/out-pdf-$PDF_N"
  src="$WORK/src-pdf-$PDF_N"
  cmd="$PDB render $dir -o $out --format pdf --jobs $JOBS --typst $TYPST"
  # The documents' .typ sources, rendered once by pdb (with the checked font lists), for the baseline.
  rm -rf "$src"; render_ok $PDB render "$dir" -o "$src" --format pdf --jobs "$JOBS" --typst "$TYPST"
  find "$src" -name '[0-9][1-9]-*.typ' | sort >"$WORK/docs.txt"
  docs=$(wc -l <"$WORK/docs.txt")
  cat >"$WORK/baseline.sh" <<EOF
#!/usr/bin/env bash
# one typst process per document, $JOBS at a time, each --jobs 1 (as bench/pdf.sh)
xargs -P $JOBS -I{} sh -c 'cd "\$(dirname "{}")" && "$TYPST" compile --jobs 1 --pdf-standard a-2b --root . "\$(basename "{}")" "\$(basename "{}" .typ).base.pdf"' <"$WORK/docs.txt"
EOF
  chmod +x "$WORK/baseline.sh"
  echo "PDF: $PDF_N activities, $docs documents, $JOBS at a time, $("$TYPST" --version)" >&2
  hyperfine --runs "$PDF_RUNS" --prepare "rm -rf $out" --export-json "$WORK/pdf.json" \
    -n "pdb pdf $PDF_N" "$cmd" -n "baseline $docs docs" "$WORK/baseline.sh" >&2
  read -r pdb_mean sd min cpu < <(stats "$WORK/pdf.json" 0)
  rm -rf "$out"
  rss=$(peak_mb $cmd)
  row "$(printf '| PDF packets, `--format pdf -j %s` | %s | %.1f s ± %.1f (min %.1f) | %.1f s | %.1f | %s MB |' "$JOBS" "$PDF_N" "$pdb_mean" "$sd" "$min" "$cpu" "$(echo "$PDF_N / $pdb_mean" | bc -l)" "$rss")"
  read -r base_mean sd min cpu < <(stats "$WORK/pdf.json" 1)
  base_rss=$(peak_mb "$WORK/baseline.sh")
  row "$(printf '| baseline: `typst compile -j 1` per document (%s docs, xargs -P %s) | %s | %.1f s ± %.1f (min %.1f) | %.1f s | %.1f | %s MB |' "$docs" "$JOBS" "$PDF_N" "$base_mean" "$sd" "$min" "$cpu" "$(echo "$PDF_N / $base_mean" | bc -l)" "$base_rss")"
  ratio=$(echo "$base_mean / $pdb_mean" | bc -l)
fi

echo
echo "| case | activities | wall (hyperfine mean ± sd) | CPU (user+sys) | activities/s | peak RSS |"
echo "|---|---:|---:|---:|---:|---:|"
printf '%s\n' "${ROWS[@]}"
[ -n "${ratio:-}" ] && printf '\nPDF: pdb packets are %.2f× faster than the per-document baseline.\n' "$ratio"
exit 0
