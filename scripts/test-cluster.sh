#!/usr/bin/env bash
# A real Kubernetes control plane on 127.0.0.1 for tests (README, "Test cluster"):
# etcd, kube-apiserver, kube-controller-manager, kube-scheduler and KWOK faking three nodes.
#
#   scripts/test-cluster.sh build    build the missing binaries from source (Go toolchain)
#   scripts/test-cluster.sh up       build if needed, start (or find running), print KUBECONFIG=...
#   scripts/test-cluster.sh down     stop every process `up` started, by pid
#   scripts/test-cluster.sh status   what is running
#   scripts/test-cluster.sh restart kube-apiserver   stop one component and start it again
#
# Binaries are built once into $KUBEMIN_CACHE/test-cluster/<kubernetes version>/bin (outside the
# checkout, so a fresh clone reuses them). When KUBEBUILDER_ASSETS is set, binaries found there
# (as envtest lays them out: etcd, kube-apiserver, ...) are used first.
set -euo pipefail

KUBERNETES_VERSION=v1.36.4 # scripts/test-cluster/k8s/go.mod
ETCD_VERSION=v3.6.8        # scripts/test-cluster/etcd/go.mod
KWOK_VERSION=v0.8.0        # scripts/test-cluster/kwok/go.mod

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/test-cluster"
CACHE="${KUBEMIN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubemin}"
BASE="$CACHE/test-cluster"
BIN_DIR="$BASE/$KUBERNETES_VERSION/bin"
RUN_DIR="${KUBEMIN_TEST_CLUSTER_DIR:-$BASE/run}"
LAST_RUN="$(dirname "$RUN_DIR")/last-run" # beside the state directory: a second cluster keeps its own
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)

log() { printf '[test-cluster] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---------------------------------------------------------------------------------------- binaries

version_of() {
  case "$1" in
    etcd) echo "$ETCD_VERSION" ;;
    kwok) echo "$KWOK_VERSION" ;;
    *) echo "$KUBERNETES_VERSION" ;;
  esac
}

# Path of a usable binary: KUBEBUILDER_ASSETS first, then our cache (built at the pinned version).
find_bin() {
  local name="$1"
  if [[ -n "${KUBEBUILDER_ASSETS:-}" && -x "$KUBEBUILDER_ASSETS/$name" ]]; then
    echo "$KUBEBUILDER_ASSETS/$name"
  elif [[ -x "$BIN_DIR/$name" && "$(cat "$BIN_DIR/.$name.version" 2>/dev/null)" == "$(version_of "$name")" ]]; then
    echo "$BIN_DIR/$name"
  else
    return 1
  fi
}

missing_bins() {
  local name
  for name in "${COMPONENTS[@]}"; do find_bin "$name" >/dev/null || echo "$name"; done
}

go_bin() {
  if command -v go >/dev/null 2>&1; then command -v go
  elif [[ -x /usr/local/go/bin/go ]]; then echo /usr/local/go/bin/go
  else die "no Go toolchain (go in PATH or /usr/local/go/bin/go) to build the test cluster"
  fi
}

# go build in one of our module directories. Module and build caches live beside the binaries so
# that every checkout (and CI's fresh clone) reuses them.
go_build() {
  local dir="$1" out="$2" ldflags="$3"; shift 3
  (
    cd "$HERE/$dir"
    export GOMODCACHE="$CACHE/go/mod" GOCACHE="$CACHE/go/build" GOTOOLCHAIN=local CGO_ENABLED=0 \
      GOFLAGS="-trimpath -buildvcs=false -mod=readonly" GOWORK=off
    nice -n 10 "$GO" build -p 2 -ldflags="-s -w $ldflags" -o "$out" "$@"
  )
}

build() {
  local missing; missing="$(missing_bins | tr '\n' ' ')"
  if [[ -z "${missing// /}" ]]; then log "binaries present in $BIN_DIR${KUBEBUILDER_ASSETS:+ (or $KUBEBUILDER_ASSETS)}"; return 0; fi
  GO="$(go_bin)"
  mkdir -p "$BIN_DIR"
  # One build at a time: a second `build` (or `up`) waits for the first instead of racing it.
  exec 8>"$BASE/$KUBERNETES_VERSION/build.lock"
  flock 8
  missing="$(missing_bins | tr '\n' ' ')"
  [[ -n "${missing// /}" ]] || { flock -u 8; return 0; }
  local buildlog="$BASE/$KUBERNETES_VERSION/build.log" start=$SECONDS t
  log "building from source with $("$GO" version | cut -d' ' -f3): $missing"
  log "the first build takes about 8 minutes on 2 cores (downloads about 1 GB of Go modules); log: $buildlog"
  : >"$buildlog"
  if [[ " $missing " == *" etcd "* ]]; then
    t=$SECONDS; log "etcd $ETCD_VERSION..."
    go_build etcd "$BIN_DIR/etcd" "" go.etcd.io/etcd/server/v3 >>"$buildlog" 2>&1 || { tail -n 30 "$buildlog" >&2; die "building etcd failed (log: $buildlog)"; }
    echo "$ETCD_VERSION" >"$BIN_DIR/.etcd.version"; log "etcd built in $((SECONDS - t)) s"
  fi
  local k8s=() name
  for name in kube-apiserver kube-controller-manager kube-scheduler; do
    [[ " $missing " == *" $name "* ]] && k8s+=("k8s.io/kubernetes/cmd/$name")
  done
  if ((${#k8s[@]})); then
    t=$SECONDS; log "Kubernetes $KUBERNETES_VERSION: ${k8s[*]##*/}..."
    # What hack/lib/version.sh stamps, so that discovery, `kubectl version` and the compatibility
    # version see v1.36.4 and not v0.0.0-master.
    local minor="${KUBERNETES_VERSION#v1.}" ldflags="" pkg var; minor="${minor%%.*}"
    for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
      for var in "gitVersion=$KUBERNETES_VERSION" gitMajor=1 "gitMinor=$minor" gitTreeState=clean \
        "buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)"; do
        ldflags+=" -X $pkg.$var"
      done
    done
    go_build k8s "$BIN_DIR/" "$ldflags" "${k8s[@]}" >>"$buildlog" 2>&1 || { tail -n 30 "$buildlog" >&2; die "building Kubernetes failed (log: $buildlog)"; }
    for name in "${k8s[@]##*/}"; do echo "$KUBERNETES_VERSION" >"$BIN_DIR/.$name.version"; done
    log "Kubernetes built in $((SECONDS - t)) s"
  fi
  if [[ " $missing " == *" kwok "* ]]; then
    t=$SECONDS; log "kwok $KWOK_VERSION..."
    go_build kwok "$BIN_DIR/kwok" "" sigs.k8s.io/kwok/cmd/kwok >>"$buildlog" 2>&1 \
      || { tail -n 30 "$buildlog" >&2; die "building kwok failed (log: $buildlog)"; }
    echo "$KWOK_VERSION" >"$BIN_DIR/.kwok.version"; log "kwok built in $((SECONDS - t)) s"
  fi
  log "built $missing in $((SECONDS - start)) s into $BIN_DIR"
  flock -u 8
}

# ---------------------------------------------------------------------------------------- cluster
#
# State of the running cluster, all under $RUN_DIR: pids/<component>.pid ("pid executable"),
# logs/<component>.log, pki/, etcd/ (data), *.kubeconfig, kubeconfig (admin, for tests and you),
# env (ports), holders/<pid> and ephemeral (see `release`). `down` moves it to ../last-run (logs).

SERVICE_CIDR=10.96.0.0/16 # the `kubernetes` Service is 10.96.0.1
KUBECTL="${KUBECTL:-$(command -v kubectl || echo /usr/bin/kubectl)}"

# Serialises up, down and release (and status reads a consistent state). Held until the script exits.
take_lock() { mkdir -p "$BASE"; exec 9>"$BASE/run.lock"; flock 9; }

# A process is running (not gone, not a zombie).
proc_running() { [[ -r "/proc/$1/stat" ]] && [[ "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)" != Z ]]; }

# The component's recorded process is running and is still the executable we started (so a
# recycled pid is never taken for it, nor signalled).
alive() {
  local f="$RUN_DIR/pids/$1.pid" pid exe
  [[ -f "$f" ]] || return 1
  read -r pid exe <"$f"
  proc_running "$pid" && [[ "$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | head -n1)" == "$exe" ]]
}

api() { # api PATH: GET on the apiserver as the admin
  # shellcheck disable=SC1091
  source "$RUN_DIR/env"
  curl -sf --max-time 3 --cacert "$RUN_DIR/pki/ca.crt" --cert "$RUN_DIR/pki/admin.crt" \
    --key "$RUN_DIR/pki/admin.key" "https://127.0.0.1:$API_PORT$1"
}

running() {
  local name
  [[ -f "$RUN_DIR/ready" ]] || return 1
  for name in "${COMPONENTS[@]}"; do alive "$name" || return 1; done
  api /readyz >/dev/null
}

free_ports() { # free_ports N: N distinct free TCP ports on 127.0.0.1
  node -e '
    const net = require("net"); const n = +process.argv[1]; const servers = [];
    for (let i = 0; i < n; i++) {
      const s = net.createServer(); servers.push(s);
      s.listen(0, "127.0.0.1", () => {
        if (servers.every((x) => x.listening)) {
          console.log(servers.map((x) => x.address().port).join(" "));
          servers.forEach((x) => x.close());
        }
      });
    }' "$1"
}

gen_pki() {
  local d="$RUN_DIR/pki" cnf="$RUN_DIR/pki/openssl.cnf"
  mkdir -p "$d"
  cat >"$cnf" <<EOF
[req]
distinguished_name = dn
[dn]
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign, digitalSignature
subjectKeyIdentifier = hash
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, IP:${SERVICE_CIDR%.0/*}.1, DNS:localhost, DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, DNS:kubernetes.default.svc.cluster.local
[client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
EOF
  key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$d/$1.key" 2>/dev/null; }
  ca() { # ca NAME SUBJECT
    key "$1"
    openssl req -x509 -new -key "$d/$1.key" -subj "$2" -days 3650 -sha256 -config "$cnf" -extensions ca -out "$d/$1.crt"
  }
  cert() { # cert NAME SUBJECT EXTENSIONS [CA]
    local ca="${4:-ca}"
    key "$1"
    openssl req -new -key "$d/$1.key" -subj "$2" -config "$cnf" -out "$d/$1.csr"
    openssl x509 -req -in "$d/$1.csr" -CA "$d/$ca.crt" -CAkey "$d/$ca.key" -CAcreateserial -days 365 \
      -sha256 -extfile "$cnf" -extensions "$3" -out "$d/$1.crt" 2>/dev/null
    rm -f "$d/$1.csr"
  }
  ca ca "/CN=kubemin-test-cluster-ca"
  ca front-proxy-ca "/CN=kubemin-test-front-proxy-ca" # aggregated APIs (APIService) and delegated authn
  cert front-proxy-client "/CN=front-proxy-client" client front-proxy-ca
  cert apiserver "/CN=kube-apiserver" server
  cert admin "/O=system:masters/CN=kubemin-test-admin" client
  cert kube-controller-manager "/CN=system:kube-controller-manager" client
  cert kube-scheduler "/CN=system:kube-scheduler" client
  cert kwok "/O=system:masters/CN=kwok-controller" client
  key sa
  openssl pkey -in "$d/sa.key" -pubout -out "$d/sa.pub" 2>/dev/null
}

write_kubeconfig() { # write_kubeconfig FILE USER: a self-contained kubeconfig (certificates inline)
  local d="$RUN_DIR/pki"
  cat >"$1.tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: kubemin-test
  cluster:
    server: https://127.0.0.1:$API_PORT
    certificate-authority-data: $(base64 -w0 <"$d/ca.crt")
users:
- name: $2
  user:
    client-certificate-data: $(base64 -w0 <"$d/$2.crt")
    client-key-data: $(base64 -w0 <"$d/$2.key")
contexts:
- name: kubemin-test
  context:
    cluster: kubemin-test
    user: $2
current-context: kubemin-test
EOF
  mv "$1.tmp" "$1"
}

start() { # start NAME ARGS...: in its own session, so that it outlives this script and its terminal
  local name="$1" exe; exe="$(find_bin "$1")"; shift
  # 8>&- 9>&-: the locks' descriptors must not be inherited, or the lock would last as long as it.
  setsid "$exe" "$@" >>"$RUN_DIR/logs/$name.log" 2>&1 </dev/null 8>&- 9>&- &
  echo "$! $exe" >"$RUN_DIR/pids/$name.pid"
  mkdir -p "$RUN_DIR/args" && printf '%s\0' "$@" >"$RUN_DIR/args/$name" # for `restart`
}

wait_for() { # wait_for SECONDS COMPONENT WHAT COMMAND...: poll until COMMAND succeeds
  local deadline=$((SECONDS + $1)) name="$2" what="$3"; shift 3
  until "$@" >/dev/null 2>&1; do
    if [[ -n "$name" ]] && ! alive "$name"; then
      sleep 0.3; alive "$name" || fail_start "$name exited while waiting for $what" "$name"
    fi
    ((SECONDS < deadline)) || fail_start "timed out waiting for $what" "$name"
    sleep 0.2
  done
}

fail_start() { # fail_start REASON [COMPONENT]: show the logs that tell why, stop everything, fail
  local name
  log "error: $1"
  for name in ${2:-} "${COMPONENTS[@]}"; do
    [[ -s "$RUN_DIR/logs/$name.log" ]] || continue
    log "--- last lines of $RUN_DIR/logs/$name.log"; tail -n 15 "$RUN_DIR/logs/$name.log" >&2
    [[ -n "${2:-}" ]] && break
  done
  stop_all
  exit 1
}

age_etcd() {
  local _ rev etcd="http://127.0.0.1:$ETCD_PORT/v3/kv"
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    curl -sf --max-time 5 -X POST "$etcd/put" -d '{"key":"L2t1YmVtaW4tdGVzdC9hZ2U=","value":"MQ=="}' >/dev/null || return 1
  done
  rev=$(curl -sf --max-time 5 -X POST "$etcd/range" -d '{"key":"AA=="}' | sed -n 's/.*"revision":"\([0-9]*\)".*/\1/p')
  [[ -n "$rev" ]] || return 1
  curl -sf --max-time 5 -X POST "$etcd/compaction" -d "{\"revision\":\"$rev\",\"physical\":true}" >/dev/null
}

nodes_untainted() { [[ -z "$("$KUBECTL" --kubeconfig "$RUN_DIR/kubeconfig" get nodes -o jsonpath='{.items[*].spec.taints}')" ]]; }

start_all() {
  local t0=$SECONDS d="$RUN_DIR/pki" ports
  rm -rf "$RUN_DIR"; mkdir -p "$RUN_DIR"/{pids,logs,holders}
  read -r -a ports <<<"$(free_ports 6)"
  ((${#ports[@]} == 6)) || fail_start "could not pick free ports (node -e failed?)"
  cat >"$RUN_DIR/env" <<EOF
ETCD_PORT=${ports[0]}
ETCD_PEER_PORT=${ports[1]}
API_PORT=${ports[2]}
KCM_PORT=${ports[3]}
SCHEDULER_PORT=${ports[4]}
KWOK_PORT=${ports[5]}
KUBERNETES_VERSION=$KUBERNETES_VERSION
EOF
  # shellcheck disable=SC1091
  source "$RUN_DIR/env"
  gen_pki
  local name
  for name in admin kube-controller-manager kube-scheduler kwok; do write_kubeconfig "$RUN_DIR/$name.kubeconfig" "$name"; done
  cp "$RUN_DIR/admin.kubeconfig" "$RUN_DIR/kubeconfig"

  start etcd --name=kubemin-test --data-dir="$RUN_DIR/etcd" \
    --listen-client-urls="http://127.0.0.1:$ETCD_PORT" --advertise-client-urls="http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster="kubemin-test=http://127.0.0.1:$ETCD_PEER_PORT" \
    --unsafe-no-fsync --log-level=warn
  wait_for 30 etcd "etcd to be healthy" curl -sf --max-time 2 "http://127.0.0.1:$ETCD_PORT/health"
  # A fresh etcd starts at revision 1, and the API server's watch caches start from wherever etcd is:
  # a watch from resourceVersion 1 would then be served, where any real cluster answers 410 Gone.
  # Move etcd past its first revisions and compact them away, as a cluster in use would have.
  age_etcd || fail_start "could not compact etcd's first revisions"

  start kube-apiserver --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$API_PORT" \
    --tls-cert-file="$d/apiserver.crt" --tls-private-key-file="$d/apiserver.key" --client-ca-file="$d/ca.crt" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$d/sa.pub" --service-account-signing-key-file="$d/sa.key" \
    --service-cluster-ip-range="$SERVICE_CIDR" --authorization-mode=Node,RBAC --allow-privileged=true \
    --cert-dir="$RUN_DIR/kube-apiserver" --profiling=false \
    --requestheader-client-ca-file="$d/front-proxy-ca.crt" --requestheader-allowed-names=front-proxy-client \
    --requestheader-username-headers=X-Remote-User --requestheader-group-headers=X-Remote-Group \
    --requestheader-extra-headers-prefix=X-Remote-Extra- \
    --proxy-client-cert-file="$d/front-proxy-client.crt" --proxy-client-key-file="$d/front-proxy-client.key" \
    --endpoint-reconciler-type=none # it would publish 127.0.0.1 as the Endpoints of `kubernetes`: refused
  wait_for 60 kube-apiserver "kube-apiserver /readyz" api /readyz

  local kcm="$RUN_DIR/kube-controller-manager.kubeconfig" sched="$RUN_DIR/kube-scheduler.kubeconfig"
  # --node-monitor-grace-period: KWOK renews the node Leases, but not while the API server restarts
  # (tests restart it); past the grace period (50 s by default) the node lifecycle controller marks
  # the nodes NotReady and their pods not Ready, and KWOK never makes those pods Ready again (a real
  # kubelet would). 3 minutes outlasts a few restarts on a busy machine.
  start kube-controller-manager --kubeconfig="$kcm" --authentication-kubeconfig="$kcm" --authorization-kubeconfig="$kcm" \
    --bind-address=127.0.0.1 --secure-port="$KCM_PORT" --cert-dir="$RUN_DIR/kube-controller-manager" \
    --leader-elect=false --use-service-account-credentials=true --controllers='*' \
    --service-account-private-key-file="$d/sa.key" --root-ca-file="$d/ca.crt" \
    --cluster-signing-cert-file="$d/ca.crt" --cluster-signing-key-file="$d/ca.key" \
    --service-cluster-ip-range="$SERVICE_CIDR" --kube-api-qps=100 --kube-api-burst=200 --profiling=false \
    --node-monitor-grace-period=3m \
    --enable-hostpath-provisioner # storage.yaml: volumes for claims, in /tmp/hostpath_pv (tests only)
  start kube-scheduler --kubeconfig="$sched" --authentication-kubeconfig="$sched" --authorization-kubeconfig="$sched" \
    --bind-address=127.0.0.1 --secure-port="$SCHEDULER_PORT" --cert-dir="$RUN_DIR/kube-scheduler" \
    --leader-elect=false --profiling=false
  # KWOK fakes the nodes annotated kwok.x-k8s.io/node=fake (nodes.yaml). Their addresses are fake and
  # loopback (nothing connects to them: no kube-proxy, no kubelet; `kubectl logs` could only try
  # 127.0.0.1), pod IPs come from 10.244.0.0/16, and KWOK renews the node Leases that keep them Ready.
  start kwok --kubeconfig="$RUN_DIR/kwok.kubeconfig" --config="$HERE/kwok.yaml" --server-address="127.0.0.1:$KWOK_PORT" \
    --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake --node-ip=127.0.0.1 --cidr=10.244.0.0/16 \
    --node-lease-duration-seconds=40

  "$KUBECTL" --kubeconfig "$RUN_DIR/kubeconfig" apply -f "$HERE/nodes.yaml" -f "$HERE/storage.yaml" >"$RUN_DIR/logs/nodes.log" 2>&1 \
    || fail_start "creating the nodes and the storage class failed: $(cat "$RUN_DIR/logs/nodes.log")"
  wait_for 60 kwok "the nodes to be Ready" "$KUBECTL" --kubeconfig "$RUN_DIR/kubeconfig" wait --for=condition=Ready node --all --timeout=5s
  wait_for 60 kube-controller-manager "the nodes to lose their start-up taints" nodes_untainted
  # The serviceaccount controller is up: new namespaces get their `default` ServiceAccount.
  wait_for 60 kube-controller-manager "serviceaccount/default in namespace default" \
    "$KUBECTL" --kubeconfig "$RUN_DIR/kubeconfig" get -n default serviceaccount/default
  wait_for 30 kube-scheduler "kube-scheduler /healthz" curl -skf --max-time 2 "https://127.0.0.1:$SCHEDULER_PORT/healthz"
  wait_for 30 kube-controller-manager "kube-controller-manager /healthz" curl -skf --max-time 2 "https://127.0.0.1:$KCM_PORT/healthz"
  touch "$RUN_DIR/ready"
  log "started in $((SECONDS - t0)) s: Kubernetes $KUBERNETES_VERSION on https://127.0.0.1:$API_PORT (state: $RUN_DIR)"
}

stop_all() {
  # The apiserver needs etcd to shut down cleanly: stop the others first, then etcd.
  stop_procs kwok kube-scheduler kube-controller-manager kube-apiserver
  stop_procs etcd
  if [[ -d "$RUN_DIR" ]]; then
    rm -rf "$RUN_DIR/etcd" "$LAST_RUN"
    mv "$RUN_DIR" "$LAST_RUN" 2>/dev/null || rm -rf "$RUN_DIR"
  fi
}

stop_procs() { # stop_procs COMPONENT...: TERM, up to 15 s to exit, then KILL
  local name pid exe pids=() deadline=$((SECONDS + 15))
  for name in "$@"; do
    if alive "$name"; then
      read -r pid exe <"$RUN_DIR/pids/$name.pid"
      kill -TERM "$pid" 2>/dev/null && pids+=("$pid")
    fi
  done
  for pid in "${pids[@]}"; do
    while proc_running "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
    if proc_running "$pid"; then log "pid $pid ignored TERM for 15 s: killing it"; kill -KILL "$pid" 2>/dev/null || true; fi
  done
  for pid in "${pids[@]}"; do
    while proc_running "$pid"; do sleep 0.1; done
  done
}

prune_holders() { # forget holders whose process is gone
  local f
  for f in "$RUN_DIR"/holders/*; do
    [[ -e "$f" ]] || continue
    proc_running "${f##*/}" || rm -f "$f"
  done
}

up() {
  local holder="${KUBEMIN_TEST_CLUSTER_HOLDER:-}" missing
  [[ -z "$holder" || "$holder" =~ ^[0-9]+$ ]] || die "KUBEMIN_TEST_CLUSTER_HOLDER must be a pid"
  missing="$(missing_bins | tr '\n' ' ')"
  if [[ -n "${missing// /}" ]]; then
    [[ "${1:-}" == --no-build ]] && die "binaries not built: $missing(run: npm run cluster:build, about 8 minutes, once)"
    build
  fi
  command -v "$KUBECTL" >/dev/null || die "kubectl not found (set KUBECTL)"
  take_lock
  if running; then
    log "already running (Kubernetes $KUBERNETES_VERSION, state: $RUN_DIR)"
  else
    if [[ -d "$RUN_DIR" ]]; then log "found a stopped or broken cluster in $RUN_DIR: cleaning up"; stop_all; fi
    # In a subshell, so that a failed start (which cleans up after itself) can be retried once when
    # another process took one of the free ports picked before a component could bind it.
    local try rc
    for try in 1 2; do
      set +e; (set -e; start_all); rc=$?; set -e
      ((rc != 0)) || break
      ((try == 1)) && grep -qs 'address already in use' "$LAST_RUN/logs/"*.log || exit "$rc"
      log "a port was taken meanwhile: starting again on other ports"
    done
    [[ -n "$holder" ]] && touch "$RUN_DIR/ephemeral"
  fi
  if [[ -n "$holder" ]]; then
    touch "$RUN_DIR/holders/$holder"
  else
    rm -f "$RUN_DIR/ephemeral" # started or adopted by hand: only `down` stops it
  fi
  echo "KUBECONFIG=$RUN_DIR/kubeconfig"
}

# restart COMPONENT: stop one running component and start it again with the same arguments (for
# tests of what clients do while, e.g., the API server restarts). Returns when it is healthy again.
restart() {
  local name="${1:-}" args=()
  [[ " ${COMPONENTS[*]} " == *" $name "* ]] || die "usage: $0 restart {${COMPONENTS[*]}}"
  take_lock
  running || die "the cluster is not running"
  mapfile -d '' args <"$RUN_DIR/args/$name"
  # shellcheck disable=SC1091
  source "$RUN_DIR/env"
  stop_procs "$name"
  start "$name" "${args[@]}"
  if [[ "$name" == kube-apiserver ]]; then wait_for 60 kube-apiserver "kube-apiserver /readyz" api /readyz; fi
  log "restarted $name"
}

down() {
  take_lock
  if [[ ! -d "$RUN_DIR" ]]; then log "not running"; return 0; fi
  stop_all
  log "stopped"
}

# release PID: the holder PID (a test run) is done with the cluster. A cluster that a holder started
# is stopped when no live holder is left; one started with `up` by hand is left running.
release() {
  [[ "${1:-}" =~ ^[0-9]+$ ]] || die "usage: $0 release PID"
  take_lock
  [[ -d "$RUN_DIR" ]] || return 0
  rm -f "$RUN_DIR/holders/$1"
  prune_holders
  if [[ -f "$RUN_DIR/ephemeral" ]] && [[ -z "$(ls -A "$RUN_DIR/holders")" ]]; then
    stop_all
    log "stopped (released by $1)"
  elif [[ -f "$RUN_DIR/ephemeral" ]]; then
    log "left running for the other test runs that use it: $(ls "$RUN_DIR/holders" | tr '\n' ' ')"
  else
    log "left running (started with \`up\`; stop it with \`down\`)"
  fi
}

status() {
  local name pid exe rc=0 missing
  missing="$(missing_bins | tr '\n' ' ')"
  if [[ -n "${missing// /}" ]]; then echo "binaries: missing $missing(npm run cluster:build)"; else
    for name in "${COMPONENTS[@]}"; do echo "binary $name: $(find_bin "$name")"; done
  fi
  if [[ ! -d "$RUN_DIR" ]]; then echo "cluster: not running"; return 3; fi
  for name in "${COMPONENTS[@]}"; do
    if alive "$name"; then read -r pid exe <"$RUN_DIR/pids/$name.pid"; echo "$name: running, pid $pid"
    else echo "$name: NOT running (log: $RUN_DIR/logs/$name.log)"; rc=3; fi
  done
  if running; then
    # shellcheck disable=SC1091
    source "$RUN_DIR/env"
    echo "cluster: up, Kubernetes $KUBERNETES_VERSION at https://127.0.0.1:$API_PORT$([[ -f "$RUN_DIR/ephemeral" ]] && echo ", started by test runs: $(ls "$RUN_DIR/holders" | tr '\n' ' ')")"
    "$KUBECTL" --kubeconfig "$RUN_DIR/kubeconfig" get nodes 2>&1 | sed 's/^/  /'
    echo "KUBECONFIG=$RUN_DIR/kubeconfig"
  else
    echo "cluster: not ready"; rc=3
  fi
  return $rc
}

# ---------------------------------------------------------------------------------------- main

main() {
  case "${1:-}" in
    build) build ;;
    up) up "${2:-}" ;;
    down) down ;;
    release) release "${2:-}" ;;
    restart) restart "${2:-}" ;;
    status) status ;;
    *) echo "usage: $0 up [--no-build]|down|status|build|release PID|restart COMPONENT" >&2; exit 2 ;;
  esac
}

# On one line, so that bash has read it all before running: editing this file while a build runs
# cannot derail the rest.
main "$@"; exit $?
