# The same server built on Alpine: its loader is musl's, and every
# distroless runtime is glibc, so it stays as it is. bin/server is a tiny
# hand-made ELF file (tests/mkelf.c writes it).
FROM alpine:3.20
RUN apk add --no-cache libstdc++
COPY bin/server /usr/local/bin/server
USER 65532
ENTRYPOINT ["server"]
