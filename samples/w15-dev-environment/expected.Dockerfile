FROM ubuntu:24.04 AS app
COPY app /usr/local/bin/app
CMD ["/usr/local/bin/app"]

FROM ubuntu:24.04
RUN apt-get update && apt-get install -y git vim sudo zsh
RUN useradd -m -s /bin/zsh dev
COPY --from=app /usr/local/bin/app /usr/local/bin/app
USER dev
CMD ["/usr/local/bin/app"]
