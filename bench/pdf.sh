#!/usr/bin/env bash
# The example quarter to PDF: pdb (one packet per activity; with typst 0.15 its default engine
# compiles them in bundles, see bench/pdf-bundle.sh; a pool of typst processes with -j 1) against
# the plain baseline (typst compile on the same .typ documents, one
# process per document, -j 1 each, as many at a time as pdb runs). Wall time with hyperfine,
# peak memory with GNU time. Results go into BENCHMARKS.md by hand.
#
#   bash bench/pdf.sh            # needs typst, hyperfine, /usr/bin/time; builds pdb --release
#   RUNS=20 JOBS=4 bash bench/pdf.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

RUNS=${RUNS:-10}
JOBS=${JOBS:-$(nproc)}
EXAMPLE=examples/2026Q4
TYPST=$(command -v typst) || { echo "typst is not installed: cargo install --locked typst-cli" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "hyperfine is not installed: apt install hyperfine" >&2; exit 1; }

cargo build --release --quiet
PDB=$PWD/target/release/pdb
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# The same .typ documents pdb compiles, with the same (checked) font lists: render the packets
# once and keep the sources of every document.
"$PDB" render "$EXAMPLE" -o "$WORK/src" --format pdf --typst "$TYPST" >/dev/null
DOCS=$(cd "$WORK/src" && find . -name '[0-9][1-9]-*.typ' | sort)
echo "$(echo "$DOCS" | wc -l) documents in $(ls "$WORK/src" | wc -l) activities; $JOBS at a time; $("$TYPST" --version)"

# Baseline: one typst process per document, JOBS at a time, each with --jobs 1, the same PDF/A
# standard pdb uses by default.
cat >"$WORK/baseline.sh" <<EOF
#!/usr/bin/env bash
cd "$WORK/src"
echo "$DOCS" | xargs -P $JOBS -I{} sh -c 'cd "\$(dirname "{}")" && "$TYPST" compile --jobs 1 --pdf-standard a-2b --root . "\$(basename "{}")" "$WORK/base-\$(basename "\$(dirname "{}")")-\$(basename "{}" .typ).pdf"'
EOF
chmod +x "$WORK/baseline.sh"

hyperfine --runs "$RUNS" --warmup 1 --export-markdown "$WORK/wall.md" \
  --prepare "rm -rf $WORK/out" \
  -n "pdb render (packets, -j $JOBS)" "$PDB render $EXAMPLE -o $WORK/out --format pdf --jobs $JOBS --typst $TYPST" \
  -n "pdb render --split (packets + every document, -j $JOBS)" "$PDB render $EXAMPLE -o $WORK/out --format pdf --split --jobs $JOBS --typst $TYPST" \
  -n "baseline: typst compile per document (xargs -P $JOBS)" "$WORK/baseline.sh"
cat "$WORK/wall.md"

# Peak resident memory of the largest single process (GNU time reports the maximum over the
# process and the children it waited for, not their sum; with JOBS processes at a time the
# total is at most JOBS times this).
peak() {
  /usr/bin/time -v "$@" 2>&1 >/dev/null | sed -n 's/.*Maximum resident set size (kbytes): //p'
}
rm -rf "$WORK/out"
echo
echo "| command | peak RSS of the largest process |"
echo "|---|---|"
echo "| pdb render (packets) | $(( $(peak "$PDB" render "$EXAMPLE" -o "$WORK/out" --format pdf --jobs "$JOBS" --typst "$TYPST") / 1024 )) MB |"
echo "| baseline (typst per document) | $(( $(peak "$WORK/baseline.sh") / 1024 )) MB |"
echo "| one typst run, the largest packet | $(( $(cd "$WORK/src/2026-12-17-组织生活会" && peak "$TYPST" compile --jobs 1 --pdf-standard a-2b --root . 00-全套.typ "$WORK/one.pdf") / 1024 )) MB |"
