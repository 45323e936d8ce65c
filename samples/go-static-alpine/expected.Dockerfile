# syntax=docker/dockerfile:1
FROM golang:1.23-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags="-s -w" -o /out/server ./cmd/server

# the users and groups the original image made, added to the runtime's own
FROM alpine:3.20 AS accounts
RUN adduser -D -u 10001 app
COPY --from=gcr.io/distroless/static-debian13:latest /etc/passwd /etc/group /distill-accounts/etc/
RUN grep '^app:' /etc/passwd >> /distill-accounts/etc/passwd && \
    grep '^app:' /etc/group >> /distill-accounts/etc/group && \
    mkdir -p /distill-accounts/home && \
    if [ -d /home/app ]; then mkdir /distill-accounts/home/app && \
        chown "$(stat -c %u:%g /home/app)" /distill-accounts/home/app && \
        chmod "$(stat -c %a /home/app)" /distill-accounts/home/app; fi

FROM gcr.io/distroless/static-debian13:latest
COPY --from=accounts /distill-accounts/etc/passwd /distill-accounts/etc/group /etc/
COPY --from=accounts /distill-accounts/home/ /home/
COPY --from=build /out/server /usr/local/bin/server
USER app
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/server"]
