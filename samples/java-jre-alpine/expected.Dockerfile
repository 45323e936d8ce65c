# the users and groups the original image made, added to the runtime's own
FROM eclipse-temurin:21-jre-alpine AS accounts
RUN addgroup -S spring && adduser -S spring -G spring
COPY --from=gcr.io/distroless/java21-debian13:latest /etc/passwd /etc/group /distill-accounts/etc/
RUN grep '^spring:' /etc/passwd >> /distill-accounts/etc/passwd && \
    grep '^spring:' /etc/group >> /distill-accounts/etc/group && \
    mkdir -p /distill-accounts/home && \
    if [ -d /home/spring ]; then mkdir /distill-accounts/home/spring && \
        chown "$(stat -c %u:%g /home/spring)" /distill-accounts/home/spring && \
        chmod "$(stat -c %a /home/spring)" /distill-accounts/home/spring; fi

FROM gcr.io/distroless/java21-debian13:latest
COPY --from=accounts /distill-accounts/etc/passwd /distill-accounts/etc/group /etc/
COPY --from=accounts /distill-accounts/home/ /home/
LABEL org.opencontainers.image.source="https://example.com/shop"
USER spring:spring
WORKDIR /app
COPY target/shop-1.0.jar app.jar
EXPOSE 8080
CMD ["app.jar"]
