FROM python:3.13-slim AS build
COPY requirements.txt .
RUN pip install --prefix=/install -r requirements.txt

FROM gcr.io/distroless/python3-debian13:latest
COPY --from=build /install/lib/python3.13/site-packages /usr/local/lib/python3.13/site-packages
ENV PYTHONPATH=/usr/local/lib/python3.13/site-packages
COPY app.py /app/app.py
CMD ["/app/app.py"]
