# syntax=docker/dockerfile:1
# Dockerfile - distill's own container image: the static binary (`make
# static`) on a shell-free base. The pre-commit hooks *-docker run it, and
#   docker run --rm -v "$PWD:/src" IMAGE lint Dockerfile
# lints the current folder's Dockerfile. Build it with
#   docker build --build-arg DS_GIT_COMMIT="$(git rev-parse --short=12 HEAD)" -t distill .
# (.git is not sent to the build, so `distill version` names the commit only
# when it is passed.)

FROM debian:12 AS build
# Debian 12's own versions of the build tools: pinning them would break the
# build at each point release, when the mirrors drop the older versions.
# hadolint ignore=DL3008
RUN apt-get update \
	&& apt-get install -y --no-install-recommends bison cmake flex gcc libc6-dev libyaml-dev make pkg-config \
	&& rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
ARG DS_GIT_COMMIT=unknown
RUN cmake -S . -B /build -DDS_STATIC=ON -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
		-DDS_GIT_COMMIT="$DS_GIT_COMMIT" \
	&& cmake --build /build --target distill \
	&& strip /build/distill

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /build/distill /usr/bin/distill
WORKDIR /src
ENTRYPOINT ["/usr/bin/distill"]
CMD ["--help"]
