# uv installs the project itself in editable mode: a .pth file in the venv
# points at /app/src, which only a site directory (not PYTHONPATH) reads.
FROM python:3.13-slim AS build
COPY --from=ghcr.io/astral-sh/uv:0.5.11 /uv /bin/uv
WORKDIR /app
COPY . .
RUN uv sync --frozen --no-dev

FROM gcr.io/distroless/python3-debian13:latest
WORKDIR /app
COPY --from=build /app /app
COPY --from=build /app/.venv/lib/python3.13/site-packages /usr/local/lib/python3.13/dist-packages
ENV PATH=/app/.venv/bin:$PATH
CMD ["-m", "myapp"]
