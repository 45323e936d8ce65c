FROM alpine AS a
FROM a AS b
COPY --from=b / /
FROM b
COPY --from=c /x /x
