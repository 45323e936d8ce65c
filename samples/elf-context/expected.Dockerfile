# A C++ server built outside Docker (by CI) and copied from the build
# context: its ELF headers name glibc's loader and need libstdc++, libm,
# libgcc_s and libc, which distroless cc has. bin/server is a tiny
# hand-made ELF file (tests/mkelf.c writes it).
FROM gcr.io/distroless/cc-debian12:latest
COPY bin/server /usr/local/bin/server
EXPOSE 8080
USER 65532
ENTRYPOINT ["server", "--port", "8080"]
