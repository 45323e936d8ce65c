FROM gcr.io/distroless/java21-debian13:latest
LABEL org.opencontainers.image.source="https://example.com/shop"
USER nonroot:nonroot
WORKDIR /app
COPY target/shop-1.0.jar app.jar
EXPOSE 8080
CMD ["app.jar"]
