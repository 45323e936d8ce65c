FROM golang:1.23 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/server .

FROM gcr.io/distroless/static-debian13:latest
COPY --from=build /out/server /usr/local/bin/server
USER nonroot
ENTRYPOINT ["/usr/local/bin/server"]
