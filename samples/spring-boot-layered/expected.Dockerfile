# A Spring Boot application in layers (jarmode tools): the builder extracts
# the jar's layers, the final stage copies them in the order that caches
# best and starts Spring Boot's launcher. Nothing in the final stage needs
# a shell, so it moves onto distroless java21 in place; `java` is on its
# PATH, and ENTRYPOINT, which names it, replaces the image's own.
FROM eclipse-temurin:21-jre AS builder
WORKDIR /application
ARG JAR_FILE=target/*.jar
COPY ${JAR_FILE} application.jar
RUN java -Djarmode=tools -jar application.jar extract --layers --launcher --destination extracted

FROM gcr.io/distroless/java21-debian13:latest
WORKDIR /application
COPY --from=builder /application/extracted/dependencies/ ./
COPY --from=builder /application/extracted/spring-boot-loader/ ./
COPY --from=builder /application/extracted/snapshot-dependencies/ ./
COPY --from=builder /application/extracted/application/ ./
EXPOSE 8080
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
