# syntax=docker/dockerfile:1
FROM golang:1.23-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags="-s -w" -o /out/server ./cmd/server

FROM gcr.io/distroless/static-debian13:latest
COPY --from=build /out/server /usr/local/bin/server
USER nonroot
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/server"]
