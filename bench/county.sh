# Sourced by the benchmarks (batch.sh, memory.sh): `county N` prints the folder of the generated
# tree of N activities, generating it once per N, seed and branch size. Needs GEN (the generator
# binary), TREES, PER_BRANCH and SEED.
county() {
  local n=$1 branches=$(( ($1 + PER_BRANCH - 1) / PER_BRANCH ))
  local dir="$TREES/county-$n-b$branches-s$SEED"
  if [ ! -f "$dir/.complete" ]; then
    rm -rf "$dir"
    "$GEN" --activities "$n" --branches "$branches" --seed "$SEED" --out "$dir" >&2
    touch "$dir/.complete"
  fi
  echo "$dir"
}
