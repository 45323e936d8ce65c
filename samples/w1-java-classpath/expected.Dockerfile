# A Maven build run from a classpath folder: the program looks for app/ in
# the folder it starts in, which is / on eclipse-temurin.
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY pom.xml .
COPY src ./src
RUN mvn -q -DskipTests package dependency:copy-dependencies -DoutputDirectory=target/lib

FROM gcr.io/distroless/java21-debian13:latest
COPY --from=build /src/target/classes app
COPY --from=build /src/target/lib app/lib
ENTRYPOINT ["java", "-cp", "app:app/lib/*", "hello.Application"]
