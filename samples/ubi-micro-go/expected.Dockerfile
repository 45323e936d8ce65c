# A Go service built with Red Hat's Go toolset and run on UBI minimal.
# With --target ubi-micro the final stage moves onto UBI micro of the same
# release: no package manager, the same C library, and the CA trust store
# copied from the image it replaces (ubi-micro has none).
FROM registry.access.redhat.com/ubi9/go-toolset:1.22 AS build
WORKDIR /opt/app-root/src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /tmp/server ./cmd/server

FROM registry.access.redhat.com/ubi9/ubi-micro:9.5
COPY --from=registry.access.redhat.com/ubi9/ubi-minimal:9.5 /etc/pki /etc/pki
COPY --from=build /tmp/server /usr/local/bin/server
USER 1001
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/server", "--listen", ":8080"]
