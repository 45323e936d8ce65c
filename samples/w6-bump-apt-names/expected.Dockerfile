FROM python:3.13-slim-trixie AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc python-dev default-libmysqlclient-dev
COPY requirements.txt .
RUN pip install --prefix=/install -r requirements.txt

FROM gcr.io/distroless/python3-debian13:latest
COPY --from=build /install /usr/local
COPY app.py /app/app.py
CMD ["/app/app.py"]
