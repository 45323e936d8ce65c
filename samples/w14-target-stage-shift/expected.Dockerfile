FROM node:22-bookworm AS app-build
WORKDIR /app
COPY . .
RUN npm ci --omit=dev

FROM gcr.io/distroless/nodejs22-debian13:latest AS app
WORKDIR /app
COPY --from=app-build /app /app
CMD ["index.js"]

FROM node:22-bookworm AS test
COPY --from=app-build /app /app
COPY --from=0 /app/package.json /tmp/
RUN cd /app && npm test

FROM busybox:1.36
COPY --from=2 /tmp/package.json /report/
