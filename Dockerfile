# syntax=docker/dockerfile:1
#
# The kubemin image: the CLI, and `kubemin watch`, the GitOps daemon that deploy/kubemin.yaml runs.
#
#   docker build -t ghcr.io/kubemin/kubemin:0.1.0 .
#   docker run --rm ghcr.io/kubemin/kubemin:0.1.0 --help
#
# Not built in kubemin's own CI or development sandbox (there is no Docker there): review changes
# to it with care, and build it once before relying on them.
#
# Only what the build needs is copied (there is no .dockerignore: the host's node_modules/ and
# build/ must not get in).

# ---------------------------------------------------------------------------- build
FROM node:24-slim AS build
WORKDIR /app

# Dependencies first, for the layer cache. `npm install` with the lock file rather than `npm ci`:
# the lock is written by npm 11, which leaves out other platforms' optional packages and then
# refuses them in `npm ci` (see .ci/run). --ignore-scripts: `prepare` would build before the
# sources are here, and no dependency kubemin runs with needs an install script.
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund --ignore-scripts

COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bench ./bench
COPY bin ./bin
COPY schemas ./schemas
COPY scripts/build-cli.mjs ./scripts/
RUN npm run build \
 && rm -rf build/bench \
 && npm prune --omit=dev --no-audit --no-fund --ignore-scripts

# ---------------------------------------------------------------------------- runtime
FROM node:24-slim
# git: the daemon clones, fetches and pushes its status reports by running git; openssh-client
# for ssh:// and git@ repositories; ca-certificates for https remotes.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git openssh-client ca-certificates \
 && rm -rf /var/lib/apt/lists/*

# A user of its own, by number, so that Kubernetes' runAsNonRoot can check it. Its home holds git's
# configuration and, without --work-dir, the clone (~/.cache/kubemin/watch/).
RUN groupadd --system --gid 10001 kubemin \
 && useradd --system --uid 10001 --gid kubemin --home-dir /home/kubemin --create-home --shell /usr/sbin/nologin kubemin

WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/build/cli ./build/cli
COPY --from=build /app/bin ./bin
COPY --from=build /app/schemas ./schemas

# GIT_TERMINAL_PROMPT=0: git never waits for a password on a terminal that is not there.
ENV NODE_ENV=production \
    HOME=/home/kubemin \
    GIT_TERMINAL_PROMPT=0
USER 10001:10001

# Node is PID 1 here: kubemin handles SIGTERM itself (it releases its Lease and stops cleanly).
# Should orphaned git or ssh processes ever linger, run with an init (docker run --init, or tini).
ENTRYPOINT ["node", "bin/kubemin.js"]
CMD ["--help"]
