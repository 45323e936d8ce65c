FROM node:22-trixie-slim AS builder
WORKDIR /app
COPY . .
RUN npm ci

FROM gcr.io/distroless/nodejs22-debian13:latest
WORKDIR /app
COPY --from=builder /app /app
ENTRYPOINT ["/app/docker-entrypoint.sh"]
CMD npm run migrate && npm start
