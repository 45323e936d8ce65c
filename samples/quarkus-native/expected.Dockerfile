# A Quarkus native executable (target/NAME-runner): GraalVM links it against
# glibc, libstdc++ and zlib, which distroless java-base has. The folder
# chown stays with the folder in the runtime stage.
FROM registry.access.redhat.com/ubi9/ubi-minimal:9.7 AS builder
WORKDIR /work/
RUN chown 1001 /work \
    && chmod "g+rwX" /work \
    && chown 1001:root /work
COPY --chown=1001:root --chmod=0755 target/*-runner /work/application

FROM gcr.io/distroless/java-base-debian13:latest
WORKDIR /work
COPY --from=builder --chown=1001:root /work /work
EXPOSE 8080
USER 1001
ENTRYPOINT ["./application", "-Dquarkus.http.host=0.0.0.0"]
