# Static files on the default server of a pinned nginx release.
FROM cgr.dev/chainguard/nginx:latest
ENTRYPOINT []
COPY public /usr/share/nginx/html
CMD ["nginx", "-g", "daemon off;"]
