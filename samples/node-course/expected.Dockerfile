FROM node:22 AS node-builder
WORKDIR /build
COPY package-lock.json package.json ./
RUN npm ci
COPY . .
FROM gcr.io/distroless/nodejs22-debian13:latest
COPY --from=node-builder --chown=nonroot:nonroot /build /app
WORKDIR /app
CMD ["index.js"]
