FROM rust:1.75-bullseye AS build
WORKDIR /src
COPY . .
RUN cargo build --release

FROM debian:bullseye-slim AS builder
RUN apt-get update && apt-get install -y --no-install-recommends openssl ca-certificates && rm -rf /var/lib/apt/lists/*

FROM gcr.io/distroless/cc-debian13:latest
COPY --from=build /src/target/release/app /usr/local/bin/app
CMD ["app"]
