#!/usr/bin/env bash
# kube-score on kubemin's rendered examples (docs/kube-score.md records what it finds).
#
#   scripts/kube-score.sh build              build kube-score once into $KUBEMIN_CACHE/kube-score/<version>/
#   scripts/kube-score.sh score [TREE]       render TREE's examples (default: this checkout) and score them;
#                                            prints each app's findings, then the counts
#   scripts/kube-score.sh counts [TREE]      only the counts: "CRITICAL <n>" and "WARNING <n>"
#   scripts/kube-score.sh compare REV        the counts at REV (a git worktree in a temporary
#                                            directory, removed after) beside the current tree's
#
# TREE is a checkout of kubemin (its examples are rendered with its own build). kube-score is
# built like the test cluster's binaries (scripts/test-cluster.sh): from the pinned module in
# scripts/kube-score/go.mod, with the Go module and build caches in $KUBEMIN_CACHE/go, outside
# the checkout, so every clone reuses it.
set -euo pipefail

KUBE_SCORE_VERSION=v1.20.0 # scripts/kube-score/go.mod

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
CACHE="${KUBEMIN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubemin}"
BIN_DIR="$CACHE/kube-score/$KUBE_SCORE_VERSION"
BIN="$BIN_DIR/kube-score"
# Every check on, as a new user would run it (docs/kube-score.md gives the reason for each finding left).
KUBE_SCORE_ARGS=(--output-format json)

log() { printf '[kube-score] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

go_bin() {
  if command -v go >/dev/null 2>&1; then command -v go
  elif [[ -x /usr/local/go/bin/go ]]; then echo /usr/local/go/bin/go
  else die "no Go toolchain (go in PATH or /usr/local/go/bin/go) to build kube-score"
  fi
}

build() {
  if [[ -x "$BIN" ]]; then return 0; fi
  local go; go="$(go_bin)"
  mkdir -p "$BIN_DIR"
  exec 8>"$BIN_DIR/build.lock"
  flock 8
  [[ -x "$BIN" ]] && return 0
  log "building kube-score $KUBE_SCORE_VERSION (about a minute on 2 cores the first time)"
  (
    cd "$HERE/kube-score"
    export GOMODCACHE="$CACHE/go/mod" GOCACHE="$CACHE/go/build" GOTOOLCHAIN=local CGO_ENABLED=0 \
      GOFLAGS="-trimpath -buildvcs=false -mod=readonly" GOWORK=off
    nice -n 10 "$go" build -p 2 -ldflags="-s -w -X main.version=$KUBE_SCORE_VERSION" -o "$BIN.tmp" github.com/zegl/kube-score/cmd/kube-score
  ) || die "building kube-score failed"
  mv "$BIN.tmp" "$BIN"
  log "built $BIN"
}

# Renders TREE's examples with TREE's own kubemin into $1/<app>/...
render() {
  local tree="$1" out="$2"
  [[ -f "$tree/package.json" ]] || die "$tree is not a kubemin checkout"
  if [[ ! -d "$tree/node_modules" ]]; then ln -s "$ROOT/node_modules" "$tree/node_modules"; fi
  (cd "$tree" && npx tsc -p tsconfig.build.json >/dev/null) || die "building kubemin in $tree failed"
  (cd "$tree" && node bin/kubemin.js render examples --out "$out" >/dev/null 2>"$out.log") || { cat "$out.log" >&2; die "rendering $tree/examples failed"; }
}

# kube-score's findings on every app of a rendered bundle, then the counts (scripts/kube-score/summarize.mjs).
score_bundle() {
  local out="$1" reports app files
  reports="$(mktemp -d /tmp/kubemin-kube-score-reports.XXXXXX)"
  for app in $(cd "$out" && find . -mindepth 1 -maxdepth 1 -type d ! -name '.*' | sort); do
    app="${app#./}"
    mapfile -t files < <(find "$out/$app" -name '*.yaml' | sort)
    ((${#files[@]})) || continue
    # kube-score exits 1 when it finds a CRITICAL: that is what is recorded, not a failure.
    "$BIN" score "${KUBE_SCORE_ARGS[@]}" "${files[@]}" >"$reports/$app.json" || true
  done
  node "$HERE/kube-score/summarize.mjs" "$reports"
  rm -rf "$reports"
}

score_tree() {
  local tree="$1" out
  out="$(mktemp -d /tmp/kubemin-kube-score.XXXXXX)"
  render "$tree" "$out/bundle"
  score_bundle "$out/bundle"
  rm -rf "$out"
}

cmd="${1:-score}"
case "$cmd" in
  build) build ;;
  score)
    build
    score_tree "$(cd "${2:-$ROOT}" && pwd)"
    ;;
  counts)
    build
    score_tree "$(cd "${2:-$ROOT}" && pwd)" | grep -E '^(CRITICAL|WARNING) [0-9]+$'
    ;;
  compare)
    rev="${2:?usage: scripts/kube-score.sh compare REV}"
    build
    wt="$(mktemp -d /tmp/kubemin-kube-score-wt.XXXXXX)"
    git -C "$ROOT" worktree add --detach "$wt/tree" "$rev" >/dev/null 2>&1 || die "no worktree at $rev"
    trap 'rm -f "$wt/tree/node_modules"; git -C "$ROOT" worktree remove --force "$wt/tree" >/dev/null 2>&1; rm -rf "$wt"' EXIT
    echo "at $rev:"; score_tree "$wt/tree" | grep -E '^(CRITICAL|WARNING) [0-9]+$'
    echo "now:"; score_tree "$ROOT" | grep -E '^(CRITICAL|WARNING) [0-9]+$'
    ;;
  *) die "unknown command $cmd (build, score, counts, compare)" ;;
esac
