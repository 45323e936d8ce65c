# A Quarkus native executable (target/NAME-runner) on UBI minimal, with
# --target ubi-micro,distroless: GraalVM links it against glibc, libgcc,
# libstdc++ and zlib, which plain UBI micro lacks, so it moves onto
# Quarkus's micro image (UBI micro with those three).
FROM registry.access.redhat.com/ubi9/ubi-minimal:9.7 AS builder
WORKDIR /work/
RUN chown 1001 /work \
    && chmod "g+rwX" /work \
    && chown 1001:root /work
COPY --chown=1001:root --chmod=0755 target/*-runner /work/application

FROM quay.io/quarkus/ubi9-quarkus-micro-image:2.0
COPY --from=builder /etc/pki /etc/pki
WORKDIR /work
COPY --from=builder --chown=1001:root /work /work
EXPOSE 8080
USER 1001
ENTRYPOINT ["./application", "-Dquarkus.http.host=0.0.0.0"]
