FROM node:22-trixie-slim AS build
WORKDIR /app
COPY . .
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && npm ci --omit=dev

FROM gcr.io/distroless/nodejs22-debian13:latest
WORKDIR /app
COPY --from=build /app /app
CMD ["index.js"]
