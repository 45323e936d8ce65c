# Gradle's installDist writes bin/app, a /bin/sh script that starts java.
FROM gradle:8-jdk21 AS build
WORKDIR /home/gradle/src
COPY . .
RUN gradle installDist --no-daemon

FROM gcr.io/distroless/java21-debian13:latest
COPY --from=build /home/gradle/src/build/install/app /opt/app
ENTRYPOINT ["/opt/app/bin/app"]
