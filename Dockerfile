# Build: compile TypeScript once.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY web/package.json web/package-lock.json web/
RUN npm ci --prefix web --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src src
COPY migrations migrations
COPY scripts scripts
# The build scripts share the compiled code's freshness check with the commands.
COPY bin bin
COPY web web
RUN npm run build && npm run build --prefix web

# Run: production dependencies, compiled code, policies; an unprivileged user.
FROM node:22-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist dist
COPY --from=build /app/web/dist web/dist
COPY policies policies
# The service's own files (the first coordinator's code, the audit witness): the root is read-only.
RUN mkdir -p /var/lib/clsm && chown node:node /var/lib/clsm && chmod 0700 /var/lib/clsm
USER node
EXPOSE 3000 3001
CMD ["node", "dist/src/server.js"]
