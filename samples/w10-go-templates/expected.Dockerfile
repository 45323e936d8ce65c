# The server reads templates/ next to it at run time.
FROM golang:1.23-bookworm AS builder
WORKDIR /app
COPY . .
RUN go build -o server .

FROM gcr.io/distroless/base-debian12:latest
WORKDIR /app
COPY --from=builder /app /app
EXPOSE 8080
CMD ["./server", "--templates", "templates"]
