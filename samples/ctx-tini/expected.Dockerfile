# tini reaps zombies and forwards signals: docker run --init does that job,
# so dropping it is a declared change of kind init.
FROM gcr.io/distroless/nodejs22-debian13:latest
WORKDIR /app
COPY server.js .
CMD ["server.js"]
