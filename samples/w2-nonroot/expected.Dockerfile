# --nonroot: the root container moves to distroless' nonroot user; the
# folder it starts in (and writes to) is given to that user.
FROM golang:1.23-bookworm AS builder
WORKDIR /app
COPY . .
RUN go build -o server .

FROM gcr.io/distroless/base-debian12:nonroot
WORKDIR /app
COPY --from=builder --chown=nonroot:nonroot /app /app
EXPOSE 8080
CMD ["./server", "--templates", "templates"]
