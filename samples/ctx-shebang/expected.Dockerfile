# bin/serve is a node script (#!/usr/bin/env node): the runtime's node runs it.
FROM gcr.io/distroless/nodejs22-debian13:latest
WORKDIR /srv
COPY bin/serve /usr/local/bin/serve
COPY public ./public
CMD ["/usr/local/bin/serve"]
