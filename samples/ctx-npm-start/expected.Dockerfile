# npm start runs the "start" script of package.json: read from the build
# context, it becomes the command itself (and its variable an ENV).
FROM node:22-bookworm-slim AS builder
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY server.js ./

FROM gcr.io/distroless/nodejs22-debian13:latest
ENV NODE_ENV=production
WORKDIR /app
COPY --from=builder /app /app
EXPOSE 3000
CMD ["server.js"]
