# The main class is computed when Gradle runs (a GString over a project
# property): distill reads the build file but never runs it, so the start
# script's java command is left to a person, with the expression named.
FROM gradle:8.10-jdk21 AS build
WORKDIR /src
COPY . .
RUN gradle installDist --no-daemon

FROM gcr.io/distroless/java21-debian13:latest
COPY --from=build /src/build/install/worker /opt/worker
ENTRYPOINT ["/opt/worker/bin/worker"]
