# Commission engine: HTTP service on PostgreSQL (see docker-compose.yml).
# Build: compile TypeScript with the dev dependencies, then keep only the production ones.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY migrations ./migrations
COPY scripts ./scripts
COPY plans ./plans
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-slim
ENV NODE_ENV=production \
    PORT=3000 \
    PLANS_DIR=/app/plans
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/plans ./plans
# the portal's static files (tsc copies no assets; the app finds them in src/portal/static)
COPY --from=build /app/src/portal/static ./src/portal/static
USER node
EXPOSE 3000
# Applies pending migrations on start. The CLI: docker compose run --rm app node dist/src/cli/main.js --help
CMD ["node", "--max-semi-space-size=64", "dist/src/main.js"]
