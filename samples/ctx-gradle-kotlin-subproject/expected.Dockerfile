# The layout `gradle init` makes: the application is the subproject app/,
# its build file in the Kotlin DSL. installDist of :app writes
# app/build/install/app/bin/app; the settings name the subproject and its
# build file the main class, so the java command it runs is written out.
FROM gradle:8.10-jdk21 AS build
WORKDIR /home/gradle/project
COPY --chown=gradle:gradle . .
RUN gradle :app:installDist --no-daemon

FROM gcr.io/distroless/java21-debian13:latest
WORKDIR /opt/inventory
COPY --from=build /home/gradle/project/app/build/install/app .
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75"
ENTRYPOINT ["/usr/bin/java", "-XX:MaxRAMPercentage=75", "-classpath", "/opt/inventory/lib/*", "org.example.inventory.AppKt"]
