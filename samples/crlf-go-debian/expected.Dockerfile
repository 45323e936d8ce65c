# A Go API built with cgo on Debian; this file has CRLF line ends
FROM golang:1.23-bookworm AS build
WORKDIR /src
COPY . .
RUN go build -o /out/api ./cmd/api

FROM gcr.io/distroless/base-debian12:latest
COPY --from=build /out/api /usr/local/bin/api
EXPOSE 8080
CMD ["/usr/local/bin/api", "--listen", ":8080"]
