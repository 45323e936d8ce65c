# A Node.js API with a native addon (bcrypt), built on Alpine.
FROM node:22-trixie-slim AS builder

# node-gyp needs python, make and a C++ compiler to build bcrypt
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev

COPY . .

ENV NODE_ENV=production

FROM gcr.io/distroless/nodejs22-debian13:latest
ENV NODE_ENV=production
WORKDIR /app
COPY --from=builder /app /app
EXPOSE 3000
USER nonroot
CMD ["server.js"]
