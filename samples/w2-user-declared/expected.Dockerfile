FROM node:22-trixie-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY . .

FROM gcr.io/distroless/nodejs22-debian13:latest
WORKDIR /app
COPY --from=build --chown=nonroot:nonroot /app /app
USER nonroot
CMD ["server.js"]
