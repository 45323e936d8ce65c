FROM alpine AS b
RUN make
FROM scratch
COPY --from=b /app
USER
WORKDIR
STOPSIGNAL
ENTRYPOINT ["/app"]
