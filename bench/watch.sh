#!/usr/bin/env bash
# pdb watch latency: from the moment a save of an activity file is complete to the moment its
# packet PDF (00-全套.pdf) has been replaced. A Python harness starts `pdb watch`, overwrites the
# activity file in place (as Notepad saves) with a new location, and polls the PDF's inode (pdb
# writes a temp file and renames it, so a new inode is a finished PDF) every 2 ms; then it waits
# for pdb's line of that run before the next save. The floor beside it: one `typst compile` of
# the same 00-全套.typ. Results go into BENCHMARKS.md by hand.
#
#   bash bench/watch.sh            # needs typst and python3; builds pdb --release
#   EDITS=20 bash bench/watch.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

EDITS=${EDITS:-10}
EXAMPLE=examples/2026Q4
ACTIVITY=2026-11-05-支部党员大会
TYPST=$(command -v typst) || { echo "typst is not installed: cargo install --locked typst-cli" >&2; exit 1; }

cargo build --release --quiet
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# Copied aside: another build in the checkout cannot swap the binary mid-run.
cp target/release/pdb "$WORK/pdb"
echo "$("$TYPST" --version); $(nproc) cores; $EDITS saves per case; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$WORK" "$TYPST" "$EDITS" "$EXAMPLE" "$ACTIVITY" <<'EOF'
import os, re, shutil, statistics, subprocess, sys, time

work, typst, edits, example, activity = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
pdb = os.path.join(work, "pdb")

def wait(what, done, limit=60):
    start = time.monotonic()
    while not done():
        if time.monotonic() - start > limit:
            raise SystemExit(f"no {what} within {limit} s")
        time.sleep(0.002)

def case(name, target, pdf):
    """`pdb watch target` in a fresh copy of the example quarter; the latency of each save."""
    root = os.path.join(work, name)
    shutil.copytree(example, root)
    source = os.path.join(root, activity + ".toml")
    original = open(source, encoding="utf-8").read()
    log = open(os.path.join(root, "watch.log"), "w")
    child = subprocess.Popen([pdb, "watch", target, "-o", "out", "--format", "pdf", "--typst", typst],
                             cwd=root, stdout=log, stderr=subprocess.DEVNULL)
    pdf = os.path.join(root, pdf)
    lines = lambda: open(log.name, encoding="utf-8").read().splitlines()
    runs = lambda: [l for l in lines() if "] 改动：" in l]
    try:
        wait("first render", lambda: os.path.exists(pdf) and any("正在监视" in l for l in lines()))
        latencies, reported = [], []
        for i in range(edits):
            inode = os.stat(pdf).st_ino
            before = len(runs())
            with open(source, "w", encoding="utf-8") as f:
                f.write(original.replace("局机关三楼会议室", f"局机关{i + 1}号会议室"))
            saved = time.monotonic()
            wait("new PDF", lambda: os.stat(pdf).st_ino != inode)
            latencies.append(time.monotonic() - saved)
            wait("the run's line", lambda: len(runs()) > before)
            reported.append(float(re.search(r"（([0-9.]+) 秒）", runs()[-1]).group(1)))
            time.sleep(0.3)
        text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True).stdout
        assert f"局机关{edits}号会议室" in "".join(text.split()), "the last save is not in the PDF"
    finally:
        child.terminate()
        child.wait()
    ms = lambda xs: f"{statistics.median(xs) * 1000:.0f} ms (min {min(xs) * 1000:.0f}, max {max(xs) * 1000:.0f})"
    print(f"| {name} | {ms(latencies)} | {ms(reported)} |")

def floor():
    """One typst compile of the packet source pdb wrote, as pdb runs it."""
    folder = os.path.join(work, "file", "out", activity)
    times = []
    for _ in range(edits):
        start = time.monotonic()
        subprocess.run([typst, "compile", "--root", ".", "--jobs", "1", "--pdf-standard", "a-2b",
                        "00-全套.typ", os.path.join(work, "floor.pdf")], cwd=folder, check=True,
                       env=dict(os.environ, SOURCE_DATE_EPOCH="0"))
        times.append(time.monotonic() - start)
    print(f"| floor: one `typst compile` of 00-全套.typ | {statistics.median(times) * 1000:.0f} ms "
          f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}) | |")

print("| case | save → PDF replaced (median, min, max) | pdb's own run time (its line) |")
print("|---|---:|---:|")
case("file", activity + ".toml", f"out/{activity}/00-全套.pdf")
case("folder", ".", f"out/{activity}/00-全套.pdf")
floor()
EOF
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
