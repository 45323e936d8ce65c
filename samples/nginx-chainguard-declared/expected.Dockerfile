# Static files on the default server of a pinned nginx release.
FROM cgr.dev/chainguard/nginx:latest
COPY public /usr/share/nginx/html
CMD ["-g", "daemon off;"]
