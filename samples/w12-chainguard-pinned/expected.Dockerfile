FROM node:22-bookworm AS build
WORKDIR /app
COPY . .
RUN npm ci --omit=dev

FROM node:22-bookworm-slim
WORKDIR /app
COPY --from=build /app /app
CMD ["node", "index.js"]
