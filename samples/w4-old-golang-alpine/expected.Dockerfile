# cgo on Alpine: the builder must move to a Debian tag golang 1.10 really had.
FROM golang:1.10-trixie AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev
WORKDIR /go/src/app
COPY . .
RUN go build -o /app .

FROM gcr.io/distroless/base-debian13:latest
COPY --from=build /app /app
CMD ["/app"]
