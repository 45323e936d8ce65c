FROM python:3.13-slim AS builder
WORKDIR /app
RUN mkdir -p /var/log/app /run/app && chown nobody /var/log/app /run/app
COPY app.py .

FROM gcr.io/distroless/python3-debian13:latest
WORKDIR /app
COPY --from=builder /app /app
COPY --from=builder --chown=nobody /run/app /run/app
COPY --from=builder --chown=nobody /var/log/app /var/log/app
USER nobody
CMD ["app.py"]
