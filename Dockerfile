# syntax=docker/dockerfile:1
#
# Berth container image.
#
#   docker build -t berth .
#   docker run --rm -p 8080:8080 -e DATABASE_URL=postgresql://... -e BERTH_ENCRYPTION_KEY=... berth
#
# Two entry points share the image:
#   server      node dist/src/main.js              (the default CMD)
#   migrations  berth-migrate                      (= node dist/src/database/migrate.cli.js deploy)
#               for the Kubernetes migration Job / init container; exits 0 when the database is
#               up to date. See docs/operations.md.
#
# Stages: deps (all dependencies, for building) -> build (Prisma client + swc) ;
#         prod-deps (production dependencies only) ; runtime (prod-deps + build output).
# Nothing from the build stage's node_modules reaches the runtime image.

ARG NODE_IMAGE=node:24-bookworm-slim

# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS base
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

# ---------------------------------------------------------------------------------------------
# All dependencies, dev included (swc, typescript). Only the manifests are copied so this layer
# is rebuilt only when dependencies change. No dependency needs an install script
# (Prisma's engine download is replaced by the Wasm engine), so none are run.
FROM base AS deps
COPY package.json package-lock.json ./
# Workspace manifests: npm ci links packages/sandbox (the sandbox cluster) into node_modules.
COPY packages/sandbox/package.json ./packages/sandbox/
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --ignore-scripts

# ---------------------------------------------------------------------------------------------
# `npm run build`: prebuild generates the Prisma client into src/generated/prisma (offline: the
# script points PRISMA_SCHEMA_ENGINE_BINARY at an existing file), then swc compiles to dist/.
FROM deps AS build
COPY .swcrc prisma.config.ts ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY src ./src
COPY packages/sandbox/src ./packages/sandbox/src
COPY packages/sandbox/bench ./packages/sandbox/bench
RUN npm run build \
 && test -f dist/src/main.js \
 && test -f dist/src/database/migrate.cli.js \
 && test -d dist/src/generated/prisma

# ---------------------------------------------------------------------------------------------
# Production dependencies only, installed from the same lock file.
FROM base AS prod-deps
COPY package.json package-lock.json ./
COPY packages/sandbox/package.json ./packages/sandbox/
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --omit=dev --ignore-scripts

# ---------------------------------------------------------------------------------------------
FROM base AS runtime

# The server never runs npm: drop it (and corepack) from the runtime image to shrink what a
# vulnerability scanner, or an attacker, finds there.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
      /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack

# Unprivileged user; the numeric id matches runAsUser in k8s/base (runAsNonRoot needs a number).
RUN groupadd --system --gid 10001 berth \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin berth \
 && mkdir -p /var/lib/berth \
 && chown 10001:10001 /var/lib/berth \
 && printf '#!/bin/sh\n# Applies pending database migrations (prisma/migrations) and exits.\nexec node /app/dist/src/database/migrate.cli.js deploy "$@"\n' \
      > /usr/local/bin/berth-migrate \
 && chmod 0755 /usr/local/bin/berth-migrate

# BERTH_DATA_DIR only matters without DATABASE_URL (embedded PGlite, for trying Berth out with
# `docker run`). On Kubernetes the root filesystem is read-only, so a missing DATABASE_URL fails
# loudly instead of silently keeping data in the container.
ENV NODE_ENV=production \
    PORT=8080 \
    HOST=0.0.0.0 \
    BERTH_DATA_DIR=/var/lib/berth

# Application files stay owned by root: the process cannot modify its own code.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
# The sandbox cluster a newcomer's `docker run` starts when no cluster is registered.
COPY --from=build /app/packages/sandbox/dist/src ./packages/sandbox/dist/src
COPY packages/sandbox/package.json ./packages/sandbox/
# The migrator finds prisma/ next to package.json at run time.
COPY package.json ./
COPY prisma ./prisma

USER 10001:10001
EXPOSE 8080

# Docker / Compose only (Kubernetes uses the probes in k8s/base). Slim images have no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# Node is PID 1: main.js handles SIGTERM/SIGINT itself (graceful shutdown) and starts no child
# processes, so no init process is needed.
CMD ["node", "dist/src/main.js"]
