# An entrypoint script that decides at run time: no exec form can say that.
FROM gcr.io/distroless/python3-debian13:latest
WORKDIR /app
COPY . .
COPY entrypoint.sh /entrypoint.sh
ENTRYPOINT ["/entrypoint.sh"]
CMD ["python", "app.py"]
