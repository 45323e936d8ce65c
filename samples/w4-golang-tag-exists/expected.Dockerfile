# cgo on Alpine: the builder moves to a Debian tag golang 1.21 really had
# (bookworm; golang:1.21-trixie was never published).
FROM golang:1.21-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev
WORKDIR /go/src/app
COPY . .
RUN go build -o /app .

FROM gcr.io/distroless/base-debian13:latest
COPY --from=build /app /app
CMD ["/app"]
