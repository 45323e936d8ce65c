# A C++ program built on UBI and linked dynamically: which libraries it
# loads is not known from the Dockerfile (libstdc++ at least), so
# --target ubi-micro alone refuses instead of guessing; with distroless in
# the list it would run on distroless cc.
FROM registry.access.redhat.com/ubi9/ubi:9.5 AS build
RUN dnf install -y gcc-c++ make
WORKDIR /src
COPY . .
RUN make && cp bin/worker /usr/local/bin/worker

FROM registry.access.redhat.com/ubi9/ubi-minimal:9.5
COPY --from=build /usr/local/bin/worker /usr/local/bin/worker
CMD ["/usr/local/bin/worker"]
