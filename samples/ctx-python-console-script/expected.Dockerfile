# A Python service installed with pip from its own pyproject.toml and
# started by the console script the project declares ([project.scripts]).
# pip's wrapper script runs the image's python by its path; the runtime's
# python runs the entry point itself (python -c "... sys.exit(main())"),
# read from pyproject.toml in the build context.
FROM python:3.13-slim AS builder
WORKDIR /app
COPY pyproject.toml .
COPY src/ src/
RUN pip install --no-cache-dir .

FROM gcr.io/distroless/python3-debian13:latest
ENV PYTHONPATH=/usr/local/lib/python3.13/site-packages
WORKDIR /app
COPY --from=builder /app /app
COPY --from=builder /usr/local/lib/python3.13/site-packages /usr/local/lib/python3.13/site-packages
EXPOSE 8000
CMD ["-c", "import sys; from inventory.cli import main; sys.exit(main())", "--port", "8000"]
