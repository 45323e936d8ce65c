# Gradle's installDist writes build/install/greeter/bin/greeter, a sh script
# that starts java. The script is built, but the build file says what it
# runs (the main class, the default JVM options): read from the build
# context, that java command is written instead.
FROM gradle:8.10-jdk21 AS build
WORKDIR /src
COPY settings.gradle build.gradle ./
COPY src ./src
RUN gradle installDist --no-daemon

FROM gcr.io/distroless/java21-debian13:latest
COPY --from=build /src/build/install/greeter /opt/greeter
EXPOSE 8080
ENTRYPOINT ["/usr/bin/java", "-Xss512k", "-Dfile.encoding=UTF-8", "-classpath", "/opt/greeter/lib/*", "com.example.greeter.Main", "--port", "8080"]
