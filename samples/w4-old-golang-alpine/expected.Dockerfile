# cgo on Alpine: golang 1.10 only had Debian tags on stretch, whose packages
# left the mirrors, so the apt-get its apk commands become would fail: refused.
FROM golang:1.10-stretch AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev
WORKDIR /go/src/app
COPY . .
RUN go build -o /app .

FROM gcr.io/distroless/base-debian13:latest
COPY --from=build /app /app
CMD ["/app"]
