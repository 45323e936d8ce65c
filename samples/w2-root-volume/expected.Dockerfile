# The server writes into a root-owned volume: it must keep running as root.
FROM golang:1.23-bookworm AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/server ./cmd/server

FROM gcr.io/distroless/static-debian12:latest
COPY --from=build /out/server /usr/local/bin/server
VOLUME /data
EXPOSE 80
ENTRYPOINT ["server", "--data", "/data"]
