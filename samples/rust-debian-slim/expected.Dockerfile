FROM rust:1.83-slim-bookworm AS builder

RUN apt-get update \
    && apt-get install -y --no-install-recommends pkg-config libssl-dev \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /usr/src/app
COPY . .
RUN cargo build --release --locked

FROM gcr.io/distroless/cc-debian12:latest
WORKDIR /usr/src/app
COPY --from=builder /usr/src/app /usr/src/app
EXPOSE 8080
STOPSIGNAL SIGINT
CMD ["./target/release/server"]
