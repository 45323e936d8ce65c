FROM node:22-trixie-slim AS builder
WORKDIR /app
COPY package*.json ./
RUN npm ci --omit=dev
COPY . .

FROM gcr.io/distroless/nodejs22-debian13:latest
WORKDIR /app
COPY --from=builder /app /app
EXPOSE 3000
CMD ["server.js"]
