FROM node:22-slim AS builder
WORKDIR /usr/src/app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY . .
RUN groupadd -r app && useradd -r -g app -d /home/app -m app && chown -R app:app /usr/src/app

# the users and groups the original image made, added to the runtime's own
FROM builder AS accounts
COPY --from=gcr.io/distroless/nodejs22-debian13:latest /etc/passwd /etc/group /distill-accounts/etc/
RUN grep '^app:' /etc/passwd >> /distill-accounts/etc/passwd && \
    grep '^app:' /etc/group >> /distill-accounts/etc/group && \
    mkdir -p /distill-accounts/home && \
    if [ -d /home/app ]; then mkdir /distill-accounts/home/app && \
        chown "$(stat -c %u:%g /home/app)" /distill-accounts/home/app && \
        chmod "$(stat -c %a /home/app)" /distill-accounts/home/app; fi

FROM gcr.io/distroless/nodejs22-debian13:latest
COPY --from=accounts /distill-accounts/etc/passwd /distill-accounts/etc/group /etc/
COPY --from=accounts /distill-accounts/home/ /home/
WORKDIR /usr/src/app
COPY --from=builder --chown=app:app /usr/src/app /usr/src/app
USER app
CMD ["server.js"]
