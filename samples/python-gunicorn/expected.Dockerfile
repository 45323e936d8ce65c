# A Flask application served by gunicorn, installed from requirements.txt.
# CMD names gunicorn's console script, which pip wrote for the image's own
# python; on the runtime, python runs gunicorn's module instead
# (python -m gunicorn, which the catalogue's console_scripts lists).
FROM python:3.13-slim AS builder
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .

FROM gcr.io/distroless/python3-debian13:latest
ENV PYTHONPATH=/usr/local/lib/python3.13/site-packages
WORKDIR /app
COPY --from=builder /app /app
COPY --from=builder /usr/local/lib/python3.13/site-packages /usr/local/lib/python3.13/site-packages
EXPOSE 8000
CMD ["-m", "gunicorn", "--bind", "0.0.0.0:8000", "--workers", "2", "app:app"]
