# The worker image: `docker compose build worker` (docker-compose.yml runs it). Two stages, so the image holds the
# compiled product, its production dependencies and the prebuilt workflow bundle, and none of the build's tools.
# test/deploy/dockerfile.test.ts checks that these commands are package.json's own and that
# test/production-install.test.ts runs the same install and the same command.

FROM node:20.20.2-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The bundle comes from the same sources as dist/, so the workflows the worker runs are the ones it was built with.
RUN npm run build && npm run build:workflow-bundle

FROM node:20.20.2-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# Results (a volume in docker-compose.yml) and CSVs (mounted read-only) have fixed places in the image.
RUN mkdir -p /app/results /app/campaigns && chown node:node /app/results
ENV BOLNA_WORKFLOW_BUNDLE=/app/dist/workflow-bundle \
    BOLNA_RESULTS_DIR=/app/results \
    BOLNA_CSV_DIRS=/app/campaigns
USER node
# package.json's bin `bolna-campaign-worker`: the worker shuts down cleanly on SIGTERM.
CMD ["node", "dist/worker.js"]
