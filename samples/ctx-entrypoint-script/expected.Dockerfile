# An entrypoint script that sets variables and then runs its arguments.
FROM gcr.io/distroless/nodejs22-debian13:latest
WORKDIR /app
COPY . .
COPY docker-entrypoint.sh /usr/local/bin/
ENV APP_PORT=8080
ENV APP_NAME="shop front"
ENV LOG_LEVEL=info
CMD ["server.js"]
