# A single-page application served by nginx.
FROM node:22-trixie-slim AS build
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM cgr.dev/chainguard/nginx:latest-dev AS builder
USER root
COPY nginx/default.conf /etc/nginx/conf.d/default.conf
WORKDIR /usr/share/nginx/html
# drop the welcome page
RUN rm -rf ./*
COPY --from=build /app/dist .

FROM cgr.dev/chainguard/nginx:latest
WORKDIR /usr/share/nginx/html
COPY --from=builder /etc/nginx/conf.d/default.conf /etc/nginx/conf.d/default.conf
COPY --from=builder /usr/share/nginx/html /usr/share/nginx/html
ENTRYPOINT []
CMD ["nginx", "-g", "daemon off;"]
