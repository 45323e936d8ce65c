FROM golang:1.23-bookworm AS build
WORKDIR /src
COPY . .
RUN go build -ldflags '-linkmode external -extldflags "-static"' -o /app .

FROM gcr.io/distroless/base-debian12:latest
COPY --from=build /app /app
CMD ["/app"]
