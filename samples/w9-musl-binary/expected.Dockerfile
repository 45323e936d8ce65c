FROM gcr.io/distroless/nodejs22-debian13:latest
WORKDIR /app
COPY --from=nginx:1.27-alpine /usr/sbin/nginx /usr/sbin/nginx
COPY . .
CMD ["server.js"]
