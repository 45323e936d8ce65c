# syntax=docker/dockerfile:1
FROM golang:1.23 AS build
WORKDIR /go/src/app
COPY . .
RUN go mod download
RUN CGO_ENABLED=0 go build -o /go/bin/app

# Now copy it into our base image.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /go/bin/app /
CMD ["/app"]
