# The ledger's API as a container. Everything it installs comes from the two registries the
# project already uses: the Node.js base image (Docker Hub) and the packages named in
# package-lock.json (the npm registry). Nothing is downloaded from anywhere else.
FROM node:24-bookworm-slim

ENV NODE_ENV=production
WORKDIR /app

# Dependencies first, so a change to the code does not reinstall them. The lockfile decides
# every version; development tools (test runner, linters, the node package) are left out.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# Node.js 24 runs the TypeScript sources directly (type stripping): there is no build step.
COPY src ./src
COPY reference-data ./reference-data
COPY demo ./demo

# Listen on every interface inside the container; keep the ledger's local files (the read model,
# the API's answer records, and with LEDGER_STORE=sqlite the event store itself) on a volume.
ENV LEDGER_HOST=0.0.0.0 \
    LEDGER_PORT=3000 \
    LEDGER_DATA_DIR=/data
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 3000

HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# node itself, not npm, receives SIGTERM from `docker stop`, so the ledger drains and closes.
CMD ["node", "src/main.ts"]
