/*
 * test_dl.c - unit tests for the hadolint-compatible rules (rules/dl_*.c):
 * for every DL code a triggering and a non-triggering Dockerfile, run
 * through the real engine (ds_lint) with a default or a small custom
 * configuration, asserting on which lines exactly that code fires.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/model.h"
#include "common/arena.h"
#include "common/source.h"
#include "parser/ast.h"
#include "rules/rules.h"

enum cfg_kind {
	CFG_DEFAULT,
	CFG_TRUSTED,     /* trustedRegistries: my.registry.io */
	CFG_SCHEMA,      /* typed labels: url, created, license, rev, version, email */
	CFG_FINAL_STAGE, /* dl3002-final-stage: DL3002 on the final stage only */
	CFG_MAINTAINER,  /* label-schema: maintainer: text */
	CFG_STRICT,      /* the same, with strict-labels */
	CFG_ENABLED,     /* DL1001 and DL3057, off by default, given a severity */
};

struct dl_case {
	const char *name;
	const char *code;
	const char *dockerfile;
	const char *lines; /* the lines where code fires, comma-separated, in order */
	enum cfg_kind cfg;
};

#define DIGEST "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static const struct dl_case cases[] = {
	{ "DL1001 an inline ignore pragma", "DL1001", "FROM a:1\n# hadolint ignore=DL3003\nRUN cd /x\n", "2", CFG_ENABLED },
	{ "DL1001 other pragmas, and off by default", "DL1001", "# hadolint shell=powershell\n# hadolint global ignore=DL3003\nFROM a:1\n", "", CFG_ENABLED },
	{ "DL1001 off unless configured", "DL1001", "FROM a:1\n# hadolint ignore=DL3003\nRUN cd /x\n", "", CFG_DEFAULT },

	{ "DL3000 relative WORKDIR", "DL3000", "FROM alpine:3\nWORKDIR app\n", "2", CFG_DEFAULT },
	{ "DL3000 absolute or variable", "DL3000", "FROM alpine:3\nWORKDIR /app\nWORKDIR $HOME\nWORKDIR \"/x\"\n", "", CFG_DEFAULT },

	{ "DL3001 ssh in RUN, on its own line", "DL3001", "FROM a:1\nRUN apt-get update && \\\n    ssh host\n", "3", CFG_DEFAULT },
	{ "DL3001 ssh as an argument", "DL3001", "FROM a:1\nRUN echo ssh vim\n", "", CFG_DEFAULT },

	{ "DL3002 final USER root", "DL3002", "FROM a:1\nUSER root\n", "2", CFG_DEFAULT },
	{ "DL3002 root in a builder, final stage only", "DL3002", "FROM a:1 AS b\nUSER root\nFROM a:1\nUSER app\n", "", CFG_FINAL_STAGE },
	{ "DL3002 root inherited through FROM stage", "DL3002", "FROM a:1 AS base\nUSER 0:0\nFROM base\nRUN true\n", "2", CFG_FINAL_STAGE },
	{ "DL3002 root inherited, reported at the base stage", "DL3002", "FROM a:1 AS base\nUSER 0:0\nFROM base\nRUN true\n", "2", CFG_DEFAULT },
	{ "DL3002 root from an ARG", "DL3002", "ARG U=0\nFROM a:1\nARG U\nUSER $U\n", "4", CFG_DEFAULT },
	{ "DL3002 every stage by default", "DL3002", "FROM a:1 AS b\nUSER root\nFROM a:1\nUSER app\n", "2", CFG_DEFAULT },
	{ "DL3002 last USER not root", "DL3002", "FROM a:1\nUSER root\nRUN x\nUSER app\n", "", CFG_DEFAULT },

	{ "DL3003 cd", "DL3003", "FROM a:1\nRUN cd /tmp && make\n", "2", CFG_DEFAULT },
	{ "DL3003 no cd", "DL3003", "FROM a:1\nRUN make -C /tmp\n", "", CFG_DEFAULT },

	{ "DL3004 sudo", "DL3004", "FROM a:1\nRUN sudo apt-get update\n", "2", CFG_DEFAULT },
	{ "DL3004 gosu", "DL3004", "FROM a:1\nRUN gosu app true\n", "", CFG_DEFAULT },

	{ "DL3006 untagged", "DL3006", "FROM ubuntu\n", "1", CFG_DEFAULT },
	{ "DL3006 untagged through an ARG", "DL3006", "ARG IMG=node\nFROM $IMG\n", "2", CFG_DEFAULT },
	{ "DL3006 stages, scratch, variables, digests", "DL3006",
	  "FROM ubuntu:24.04 AS b\nFROM b\nFROM scratch\nFROM $UNSET\nFROM ubuntu@" DIGEST "\n", "", CFG_DEFAULT },

	{ "DL3007 latest", "DL3007", "FROM ubuntu:latest\n", "1", CFG_DEFAULT },
	{ "DL3007 latest through an ARG", "DL3007", "ARG T=latest\nFROM ubuntu:${T}\n", "2", CFG_DEFAULT },
	{ "DL3007 release tag", "DL3007", "FROM ubuntu:24.04\nFROM ubuntu:latest@" DIGEST "\n", "", CFG_DEFAULT },

	{ "DL3008 unpinned package on a continuation line", "DL3008",
	  "FROM debian:12\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends \\\n    curl=7.88 \\\n"
	  "    git \\\n && rm -rf /var/lib/apt/lists/*\n", "5", CFG_DEFAULT },
	{ "DL3008 under sudo", "DL3008", "FROM debian:12\nRUN sudo apt-get install -y git\n", "2", CFG_DEFAULT },
	{ "DL3008 pinned, files, releases, flag values", "DL3008",
	  "FROM debian:12\nRUN apt-get install -y --no-install-recommends curl=7.88 ./x.deb -t bookworm-backports "
	  "foo/bookworm $PKGS > /dev/null\n", "", CFG_DEFAULT },

	{ "DL3009 lists kept", "DL3009", "FROM debian:12\nRUN apt-get update && apt-get install -y x\n", "2", CFG_DEFAULT },
	{ "DL3009 lists removed", "DL3009",
	  "FROM debian:12\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*\n", "", CFG_DEFAULT },
	{ "DL3009 cache mount", "DL3009",
	  "FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update\n", "", CFG_DEFAULT },
	{ "DL3009 builder stage only copied from", "DL3009",
	  "FROM debian:12 AS b\nRUN apt-get update\nFROM scratch\nCOPY --from=b /x /x\n", "", CFG_DEFAULT },

	{ "DL3010 copied archive extracted", "DL3010", "FROM a:1\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /app\n", "2", CFG_DEFAULT },
	{ "DL3010 archive not extracted", "DL3010", "FROM a:1\nCOPY app.tar.gz /tmp/\nRUN cp /tmp/app.tar.gz /x\n", "", CFG_DEFAULT },

	{ "DL3011 port out of range", "DL3011", "FROM a:1\nEXPOSE 80 70000/tcp\n", "2", CFG_DEFAULT },
	{ "DL3011 valid ports", "DL3011", "FROM a:1\nEXPOSE 80 443/udp 8000-8100 ${PORT}\n", "", CFG_DEFAULT },

	{ "DL3012 two HEALTHCHECKs", "DL3012", "FROM a:1\nHEALTHCHECK CMD [\"a\"]\nHEALTHCHECK NONE\n", "3", CFG_DEFAULT },
	{ "DL3012 one per stage", "DL3012", "FROM a:1\nHEALTHCHECK NONE\nFROM a:1\nHEALTHCHECK NONE\n", "", CFG_DEFAULT },

	{ "DL3013 unpinned pip package", "DL3013", "FROM python:3\nRUN pip install --no-cache-dir flask\n", "2", CFG_DEFAULT },
	{ "DL3013 pinned, wheels, vcs, requirements", "DL3013",
	  "FROM python:3\nRUN pip install --no-cache-dir 'flask>=3' ./pkg.whl git+https://x/y@v1 && "
	  "pip3 install --no-cache-dir -r requirements.txt\n", "", CFG_DEFAULT },

	{ "DL3014 apt-get without -y", "DL3014", "FROM debian:12\nRUN apt-get install --no-install-recommends x=1\n", "2", CFG_DEFAULT },
	{ "DL3014 -qq", "DL3014", "FROM debian:12\nRUN apt-get -qq install --no-install-recommends x=1\n", "", CFG_DEFAULT },

	{ "DL3015 recommends", "DL3015", "FROM debian:12\nRUN apt-get install -y x=1\n", "2", CFG_DEFAULT },
	{ "DL3015 no recommends", "DL3015",
	  "FROM debian:12\nRUN apt-get install -y --no-install-recommends x=1 && apt-get install -y -o APT::Install-Recommends=false y=1\n",
	  "", CFG_DEFAULT },

	{ "DL3016 unpinned npm package", "DL3016", "FROM node:22\nRUN npm install express\n", "2", CFG_DEFAULT },
	{ "DL3016 pinned, scoped, local, git", "DL3016",
	  "FROM node:22\nRUN npm install && npm install express@4 @types/node@22 ./local git+https://x/y#v1\n", "", CFG_DEFAULT },

	{ "DL3018 unpinned apk package", "DL3018", "FROM alpine:3\nRUN apk add --no-cache curl\n", "2", CFG_DEFAULT },
	{ "DL3018 in a here-document script", "DL3018", "FROM alpine:3\nRUN <<EOF\nset -e\napk add --no-cache curl\nEOF\n", "4", CFG_DEFAULT },
	{ "DL3018 in a <<- here-document read by bash", "DL3018",
	  "FROM alpine:3\nRUN <<-EOT bash\n\tapk add --no-cache x\n\tEOT\n", "3", CFG_DEFAULT },
	{ "DL3018 in ONBUILD RUN", "DL3018", "FROM alpine:3\nONBUILD RUN apk add --no-cache y\n", "2", CFG_DEFAULT },
	{ "DL3018 pinned, virtual, files", "DL3018", "FROM alpine:3\nRUN apk add --no-cache --virtual .deps curl=8.5-r0 ./x.apk\n", "", CFG_DEFAULT },
	{ "DL3018 here-document read by python", "DL3018", "FROM alpine:3\nRUN python3 <<EOF\napk add curl\nEOF\n", "", CFG_DEFAULT },

	{ "DL3019 apk without --no-cache", "DL3019", "FROM alpine:3\nRUN apk add curl=8.5-r0\n", "2", CFG_DEFAULT },
	{ "DL3019 cache mount or --no-cache", "DL3019",
	  "FROM alpine:3\nRUN --mount=type=cache,target=/var/cache/apk apk add curl=8.5-r0\nRUN apk add --no-cache curl=8.5-r0\n", "", CFG_DEFAULT },

	{ "DL3020 ADD a file", "DL3020", "FROM a:1\nADD app.py /app/\n", "2", CFG_DEFAULT },
	{ "DL3020 ADD a URL or an archive", "DL3020", "FROM a:1\nADD https://x/y.tgz /tmp/\nADD app.tar.gz /app/\n", "", CFG_DEFAULT },

	{ "DL3021 several sources into a file", "DL3021", "FROM a:1\nCOPY a b /app\n", "2", CFG_DEFAULT },
	{ "DL3021 directory destination", "DL3021", "FROM a:1\nARG D=/app/\nCOPY a b /app/\nCOPY a b $D\nCOPY a /app\n", "", CFG_DEFAULT },

	{ "DL3022 unknown stage", "DL3022", "FROM a:1\nCOPY --from=builder /x /x\n", "2", CFG_DEFAULT },
	{ "DL3022 stage, index, image", "DL3022",
	  "FROM a:1 AS builder\nFROM a:1\nCOPY --from=builder /x /x\nCOPY --from=0 /y /y\nCOPY --from=nginx:1 /z /z\n", "", CFG_DEFAULT },

	{ "DL3023 copy from itself", "DL3023", "FROM a:1 AS app\nCOPY --from=app /x /x\n", "2", CFG_DEFAULT },
	{ "DL3023 copy from another stage", "DL3023", "FROM a:1 AS dep\nFROM a:1 AS app\nCOPY --from=dep /x /x\n", "", CFG_DEFAULT },

	{ "DL3024 duplicate stage name", "DL3024", "FROM a:1 AS x\nFROM a:1 AS X\n", "2", CFG_DEFAULT },
	{ "DL3024 unique names", "DL3024", "FROM a:1 AS x\nFROM a:1 AS y\n", "", CFG_DEFAULT },

	{ "DL3025 shell form CMD and HEALTHCHECK", "DL3025",
	  "FROM a:1\nCMD node app.js\nENTRYPOINT [\"x\"]\nHEALTHCHECK --interval=5s CMD curl -f http://x\n", "2,4", CFG_DEFAULT },
	{ "DL3025 exec form", "DL3025", "FROM a:1\nCMD [\"node\", \"app.js\"]\nHEALTHCHECK CMD [\"/ok\"]\nHEALTHCHECK NONE\n", "", CFG_DEFAULT },

	{ "DL3026 untrusted registries", "DL3026", "FROM quay.io/a/b:1\nFROM ubuntu:24.04\n", "1,2", CFG_TRUSTED },
	{ "DL3026 trusted registry, stage, scratch", "DL3026", "FROM my.registry.io/a:1 AS b\nFROM b\nFROM scratch\n", "", CFG_TRUSTED },
	{ "DL3026 off without trustedRegistries", "DL3026", "FROM quay.io/a/b:1\n", "", CFG_DEFAULT },

	{ "DL3027 apt", "DL3027", "FROM debian:12\nRUN apt install -y x\n", "2", CFG_DEFAULT },
	{ "DL3027 apt-cache", "DL3027", "FROM debian:12\nRUN apt-cache policy x\n", "", CFG_DEFAULT },

	{ "DL3028 unpinned gem", "DL3028", "FROM ruby:3\nRUN gem install rails\n", "2", CFG_DEFAULT },
	{ "DL3028 pinned gems", "DL3028", "FROM ruby:3\nRUN gem install rails:7.1 && gem install bundler -v 2.5\n", "", CFG_DEFAULT },

	{ "DL3029 fixed platform", "DL3029", "FROM --platform=linux/amd64 a:1\n", "1", CFG_DEFAULT },
	{ "DL3029 build platform", "DL3029", "FROM --platform=$BUILDPLATFORM a:1\n", "", CFG_DEFAULT },

	{ "DL3030 yum without -y", "DL3030", "FROM centos:7\nRUN yum install x-1.0 && yum clean all\n", "2", CFG_DEFAULT },
	{ "DL3030 yum -y", "DL3030", "FROM centos:7\nRUN yum install -y x-1.0 && yum clean all\n", "", CFG_DEFAULT },

	{ "DL3032 yum without clean", "DL3032", "FROM centos:7\nRUN yum install -y x-1.0\n", "2", CFG_DEFAULT },
	{ "DL3032 yum clean all", "DL3032", "FROM centos:7\nRUN yum install -y x-1.0 && yum clean all\n", "", CFG_DEFAULT },

	{ "DL3033 unpinned yum package", "DL3033", "FROM centos:7\nRUN yum install -y httpd && yum clean all\n", "2", CFG_DEFAULT },
	{ "DL3033 pinned packages and modules", "DL3033",
	  "FROM centos:7\nRUN yum install -y httpd-2.4.6 x.rpm && yum module install -y nodejs:18 && yum clean all\n", "", CFG_DEFAULT },

	{ "DL3034 zypper without -y", "DL3034", "FROM opensuse/leap:15\nRUN zypper install x=1 && zypper clean\n", "2", CFG_DEFAULT },
	{ "DL3034 zypper -y or -n", "DL3034",
	  "FROM opensuse/leap:15\nRUN zypper install -y x=1 && zypper clean\nRUN zypper -n in x=1 && zypper cc\n", "", CFG_DEFAULT },

	{ "DL3035 zypper dist-upgrade", "DL3035", "FROM opensuse/leap:15\nRUN zypper dist-upgrade -y\n", "2", CFG_DEFAULT },
	{ "DL3035 zypper update", "DL3035", "FROM opensuse/leap:15\nRUN zypper update -y\n", "", CFG_DEFAULT },

	{ "DL3036 zypper without clean", "DL3036", "FROM opensuse/leap:15\nRUN zypper install -y x=1\n", "2", CFG_DEFAULT },
	{ "DL3036 zypper clean", "DL3036", "FROM opensuse/leap:15\nRUN zypper install -y x=1 && zypper clean -a\n", "", CFG_DEFAULT },

	{ "DL3037 unpinned zypper package", "DL3037", "FROM opensuse/leap:15\nRUN zypper install -y x && zypper clean\n", "2", CFG_DEFAULT },
	{ "DL3037 pinned zypper packages", "DL3037",
	  "FROM opensuse/leap:15\nRUN zypper install -y 'x>=1.2' y=2 && zypper clean\n", "", CFG_DEFAULT },

	{ "DL3038 dnf without -y", "DL3038", "FROM fedora:40\nRUN dnf install x-1.0 && dnf clean all\n", "2", CFG_DEFAULT },
	{ "DL3038 microdnf -y", "DL3038", "FROM fedora:40\nRUN microdnf install -y x-1.0 && microdnf clean all\n", "", CFG_DEFAULT },

	{ "DL3040 dnf without clean", "DL3040", "FROM fedora:40\nRUN dnf install -y x-1.0\n", "2", CFG_DEFAULT },
	{ "DL3040 dnf clean all", "DL3040", "FROM fedora:40\nRUN dnf install -y x-1.0 && dnf clean all\n", "", CFG_DEFAULT },

	{ "DL3041 unpinned dnf package", "DL3041", "FROM fedora:40\nRUN dnf install -y python3-devel && dnf clean all\n", "2", CFG_DEFAULT },
	{ "DL3041 pinned dnf package", "DL3041", "FROM fedora:40\nRUN dnf install -y python3-devel-3.12.1 && dnf clean all\n", "", CFG_DEFAULT },

	{ "DL3042 pip cache", "DL3042", "FROM python:3\nRUN pip install flask==3\n", "2", CFG_DEFAULT },
	{ "DL3042 PIP_NO_CACHE_DIR, cache mount, --no-cache-dir", "DL3042",
	  "FROM python:3 AS a\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask==3\nFROM python:3\n"
	  "RUN --mount=type=cache,target=/root/.cache/pip pip install flask==3\nRUN pip install --no-cache-dir flask==3\n"
	  "RUN PIP_NO_CACHE_DIR=1 pip install flask==3\n", "", CFG_DEFAULT },

	{ "DL3043 ONBUILD FROM", "DL3043", "FROM a:1\nONBUILD MAINTAINER me\n", "2", CFG_DEFAULT },
	{ "DL3043 ONBUILD RUN", "DL3043", "FROM a:1\nONBUILD RUN make\n", "", CFG_DEFAULT },

	{ "DL3044 ENV self reference", "DL3044", "FROM a:1\nENV A=1 B=$A\n", "2", CFG_DEFAULT },
	{ "DL3044 earlier definitions", "DL3044", "FROM a:1\nENV A=1\nENV B=$A C=${A}x\nENV PATH=$PATH:/x\n", "", CFG_DEFAULT },

	{ "DL3045 relative COPY destination", "DL3045", "FROM a:1\nCOPY app.py app/\n", "2", CFG_DEFAULT },
	{ "DL3045 WORKDIR inherited from a stage", "DL3045", "FROM a:1 AS b\nWORKDIR /src\nFROM b\nCOPY . .\n", "", CFG_DEFAULT },

	{ "DL3046 useradd high uid", "DL3046", "FROM a:1\nRUN useradd -u 123456 app\n", "2", CFG_DEFAULT },
	{ "DL3046 useradd -l or low uid", "DL3046", "FROM a:1\nRUN useradd -l -u 123456 app && useradd -u 1000 b\n", "", CFG_DEFAULT },

	{ "DL3047 wget progress", "DL3047", "FROM a:1\nRUN wget http://x/y\n", "2", CFG_DEFAULT },
	{ "DL3047 wget quiet", "DL3047",
	  "FROM a:1\nRUN wget -q http://x && wget --progress=dot:giga http://y && wget -nv z\n", "", CFG_DEFAULT },

	{ "DL3048 invalid label keys", "DL3048", "FROM a:1\nLABEL MyKey=1 com.docker.x=2\n", "2,2", CFG_DEFAULT },
	{ "DL3048 valid label keys", "DL3048",
	  "FROM a:1\nLABEL org.opencontainers.image.title=\"x\" \"maintainer\"=\"me\"\n", "", CFG_DEFAULT },

	{ "DL3049 missing in every stage", "DL3049", "FROM a:1 AS b\nFROM b\nLABEL x=1\n", "1,2", CFG_MAINTAINER },
	{ "DL3049 set by the stage built on it", "DL3049", "FROM a:1 AS b\nFROM b\nLABEL maintainer=me\n", "", CFG_MAINTAINER },
	{ "DL3049 a stage copied from is a build stage", "DL3049", "FROM a:1 AS b\nFROM c:1\nLABEL maintainer=me\nCOPY --from=b /x /x\n", "", CFG_MAINTAINER },
	{ "DL3049 inherited from a stage", "DL3049", "FROM a:1 AS b\nLABEL maintainer=me\nFROM b\n", "", CFG_MAINTAINER },

	{ "DL3050 superfluous label", "DL3050", "FROM a:1\nLABEL maintainer=me extra=1\n", "2", CFG_STRICT },
	{ "DL3050 schema labels only", "DL3050", "FROM a:1\nLABEL maintainer=me\n", "", CFG_STRICT },

	{ "DL3051 empty label", "DL3051", "FROM a:1\nLABEL maintainer=\"\"\n", "2", CFG_MAINTAINER },
	{ "DL3051 label set", "DL3051", "FROM a:1\nLABEL maintainer=me\n", "", CFG_MAINTAINER },

	{ "DL3052 bad URL", "DL3052", "FROM a:1\nLABEL url=\"not a url\"\n", "2", CFG_SCHEMA },
	{ "DL3052 URL", "DL3052", "FROM a:1\nLABEL url=https://example.com/x?y=1\n", "", CFG_SCHEMA },

	{ "DL3053 bad time", "DL3053", "FROM a:1\nLABEL created=2024-13-01\n", "2", CFG_SCHEMA },
	{ "DL3053 RFC 3339 time", "DL3053", "FROM a:1\nLABEL created=2024-05-01T10:00:00.5+02:00\n", "", CFG_SCHEMA },

	{ "DL3054 bad license", "DL3054", "FROM a:1\nLABEL license=NotALicense\n", "2", CFG_SCHEMA },
	{ "DL3054 SPDX expression", "DL3054", "FROM a:1\nLABEL license=\"(MIT OR Apache-2.0) AND GPL-2.0-or-later\"\n", "", CFG_SCHEMA },

	{ "DL3055 bad hash", "DL3055", "FROM a:1\nLABEL rev=xyz\n", "2", CFG_SCHEMA },
	{ "DL3055 short hash", "DL3055", "FROM a:1\nLABEL rev=0123abc\n", "", CFG_SCHEMA },

	{ "DL3056 bad version", "DL3056", "FROM a:1\nLABEL version=1.2\n", "2", CFG_SCHEMA },
	{ "DL3056 semantic version", "DL3056", "FROM a:1\nLABEL version=1.2.3-rc.1+build.5\n", "", CFG_SCHEMA },

	{ "DL3057 no HEALTHCHECK in a chain", "DL3057", "FROM a:1 AS b\nHEALTHCHECK NONE\nFROM b AS c\nFROM a:1\n", "4", CFG_ENABLED },
	{ "DL3057 off unless configured", "DL3057", "FROM a:1\n", "", CFG_DEFAULT },
	{ "DL3058 bad email", "DL3058", "FROM a:1\nLABEL email=me@\n", "2", CFG_SCHEMA },
	{ "DL3058 email", "DL3058", "FROM a:1\nLABEL email=me.you@example.com\n", "", CFG_SCHEMA },

	{ "DL3059 consecutive RUNs", "DL3059", "FROM a:1\nRUN a\nRUN b\n", "3", CFG_DEFAULT },
	{ "DL3059 separated, different flags, chained", "DL3059",
	  "FROM a:1\nRUN a\nWORKDIR /x\nRUN b\nRUN --mount=type=cache,target=/c c\nRUN d && e && f\nRUN g\n", "", CFG_DEFAULT },

	{ "DL3060 yarn cache kept", "DL3060", "FROM node:22\nRUN yarn install\n", "2", CFG_DEFAULT },
	{ "DL3060 yarn cache clean, builder stage", "DL3060",
	  "FROM node:22 AS b\nRUN yarn install\nFROM node:22\nCOPY --from=b /x /x\nRUN yarn install && yarn cache clean\n", "", CFG_DEFAULT },

	{ "DL3061 instruction before FROM", "DL3061", "LABEL a=b\nFROM a:1\n", "1", CFG_DEFAULT },
	{ "DL3061 ARG before FROM", "DL3061", "# comment\nARG X=1\nFROM a:$X\n", "", CFG_DEFAULT },

	{ "DL3062 go install latest", "DL3062", "FROM golang:1\nRUN go install example.com/cmd@latest\n", "2", CFG_DEFAULT },
	{ "DL3062 pinned and local", "DL3062",
	  "FROM golang:1\nRUN go install example.com/cmd@v1.2.3 && go install ./... && go run main.go arg\n", "", CFG_DEFAULT },

	{ "DL3063 reserved stage name", "DL3063", "FROM a:1 AS context\n", "1", CFG_DEFAULT },
	{ "DL3063 ordinary stage name", "DL3063", "FROM a:1 AS ctx\n", "", CFG_DEFAULT },

	{ "DL3064 secrets in ARG and ENV", "DL3064", "FROM a:1\nARG GITHUB_TOKEN\nENV DB_PASSWORD=x\n", "2,3", CFG_DEFAULT },
	{ "DL3064 harmless names", "DL3064", "FROM a:1\nARG VERSION=1\nENV PATH=/x\n", "", CFG_DEFAULT },

	{ "DL3065 --platform=$TARGETPLATFORM", "DL3065", "FROM --platform=$TARGETPLATFORM a:1\n", "1", CFG_DEFAULT },
	{ "DL3065 --platform=$BUILDPLATFORM", "DL3065", "FROM --platform=$BUILDPLATFORM a:1\n", "", CFG_DEFAULT },

	{ "DL3066 user name", "DL3066", "FROM a:1\nUSER app\n", "2", CFG_DEFAULT },
	{ "DL3066 numeric ids, also from an ARG", "DL3066", "ARG UID=1000\nFROM a:1\nARG UID\nUSER ${UID}\nUSER 1000:1000\n", "", CFG_DEFAULT },

	{ "DL3067 whole filesystem", "DL3067", "FROM a:1 AS b\nFROM scratch\nCOPY --from=b / /\n", "3", CFG_DEFAULT },
	{ "DL3067 one directory", "DL3067", "FROM a:1 AS b\nFROM scratch\nCOPY --from=b /app /app\n", "", CFG_DEFAULT },

	{ "DL4000 MAINTAINER", "DL4000", "FROM a:1\nMAINTAINER me\n", "2", CFG_DEFAULT },
	{ "DL4000 maintainer label", "DL4000", "FROM a:1\nLABEL maintainer=me\n", "", CFG_DEFAULT },

	{ "DL4001 curl and wget", "DL4001", "FROM a:1\nRUN curl -o x http://x\nRUN wget -q http://y\n", "3", CFG_DEFAULT },
	{ "DL4001 in different stages", "DL4001", "FROM a:1\nRUN curl x\nFROM a:1\nRUN wget -q y\n", "", CFG_DEFAULT },

	{ "DL4003 two CMDs", "DL4003", "FROM a:1\nCMD [\"a\"]\nCMD [\"b\"]\n", "3", CFG_DEFAULT },
	{ "DL4003 one CMD per stage", "DL4003", "FROM a:1\nCMD [\"a\"]\nFROM a:1\nCMD [\"b\"]\n", "", CFG_DEFAULT },

	{ "DL4004 two ENTRYPOINTs", "DL4004", "FROM a:1\nENTRYPOINT [\"a\"]\nENTRYPOINT [\"b\"]\n", "3", CFG_DEFAULT },
	{ "DL4004 one ENTRYPOINT per stage", "DL4004", "FROM a:1\nENTRYPOINT [\"a\"]\nFROM a:1\nENTRYPOINT [\"b\"]\n", "", CFG_DEFAULT },

	{ "DL4005 ln /bin/sh", "DL4005", "FROM a:1\nRUN ln -sf /bin/bash /bin/sh\n", "2", CFG_DEFAULT },
	{ "DL4005 SHELL", "DL4005", "FROM a:1\nSHELL [\"/bin/bash\", \"-c\"]\nRUN ln -s /a /b\n", "", CFG_DEFAULT },

	{ "DL4006 pipe without pipefail", "DL4006", "FROM a:1\nRUN set -e; \\\n  curl x | sh\n", "3", CFG_DEFAULT },
	{ "DL4006 SHELL with pipefail, inherited", "DL4006",
	  "FROM a:1 AS b\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN a | b\nFROM b\nRUN c | d\n", "", CFG_DEFAULT },
	{ "DL4006 no pipe", "DL4006", "FROM a:1\nRUN a || b\n", "", CFG_DEFAULT },

	{ "pragma: hadolint ignore", "DL3008",
	  "FROM debian:12\n# hadolint ignore=DL3008\nRUN apt-get install -y --no-install-recommends git\n", "", CFG_DEFAULT },
};

static struct ds_lint_config make_config(enum cfg_kind k)
{
	static const char *trusted[] = { "my.registry.io" };
	static const char *typed_names[] = { "url", "created", "license", "rev", "version", "email" };
	static const char *typed_types[] = { "url", "rfc3339", "spdx", "hash", "semver", "email" };
	static const char *m_names[] = { "maintainer" };
	static const char *m_types[] = { "text" };
	struct ds_lint_config cfg;
	ds_lint_config_init(&cfg);
	switch (k) {
	case CFG_TRUSTED:
		cfg.trusted_registries = trusted;
		cfg.ntrusted = 1;
		break;
	case CFG_SCHEMA:
		cfg.label_names = typed_names;
		cfg.label_types = typed_types;
		cfg.nlabels = 6;
		break;
	case CFG_FINAL_STAGE:
		cfg.dl3002_final_stage = true;
		break;
	case CFG_STRICT:
		cfg.strict_labels = true;
		/* fall through */
	case CFG_MAINTAINER:
		cfg.label_names = m_names;
		cfg.label_types = m_types;
		cfg.nlabels = 1;
		break;
	case CFG_ENABLED:
		cfg.has_override[DS_R_DL1001] = cfg.has_override[DS_R_DL3057] = true;
		cfg.override[DS_R_DL1001] = cfg.override[DS_R_DL3057] = DS_SEV_WARNING;
		break;
	case CFG_DEFAULT:
		break;
	}
	return cfg;
}

/* Lints text; writes the lines where code fired, comma-separated, into out. */
static void fired(const char *text, const char *code, enum cfg_kind k, char *out, size_t cap)
{
	struct ds_arena a = DS_ARENA_INIT;
	struct ds_source src;
	struct ds_dockerfile df;
	struct ds_model m;
	struct ds_diags diags = { NULL, 0, 0 };
	ds_source_from_mem(&src, &a, "Dockerfile", text, strlen(text));
	ds_parse(&a, &src, NULL, &df);
	ds_model_build(&a, &df, NULL, &m);
	struct ds_lint_config cfg = make_config(k);
	ds_lint(&a, &df, &m, NULL, &cfg, &diags);
	ds_source_lines(&src, &a);
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < diags.n; i++) {
		const struct ds_diag *g = &diags.v[i];
		if (!g->code || strcmp(g->code, code))
			continue;
		uint32_t line = 0, col = 0;
		ds_source_linecol(&src, g->off, &line, &col);
		int w = snprintf(out + used, cap - used, "%s%u", used ? "," : "", line);
		if (w > 0 && (size_t)w < cap - used)
			used += (size_t)w;
	}
	ds_arena_release(&a);
}

static void run_case(void **state)
{
	const struct dl_case *c = *state;
	char got[256];
	fired(c->dockerfile, c->code, c->cfg, got, sizeof got);
	if (strcmp(got, c->lines))
		print_error("%s: %s fired on lines \"%s\", expected \"%s\"\n%s", c->name, c->code, got, c->lines,
			    c->dockerfile);
	assert_string_equal(got, c->lines);
}

/* Every DL rule of the table has a triggering and a non-triggering case here. */
static void test_every_rule_covered(void **state)
{
	(void)state;
	for (size_t r = 0; r < DS_R__COUNT; r++) {
		const char *code = ds_rules[r].code;
		if (strncmp(code, "DL", 2) || !strcmp(code, "DL1000"))
			continue; /* DL1000 is a parse error: tests/suites/lint-hadolint.sh */
		bool pos = false, neg = false;
		for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
			if (!strcmp(cases[i].code, code)) {
				if (cases[i].lines[0])
					pos = true;
				else
					neg = true;
			}
		if (!pos || !neg)
			print_error("%s lacks a %s case\n", code, !pos ? "triggering" : "non-triggering");
		assert_true(pos && neg);
	}
}

/* Where a finding inside a RUN points: the command's own line and column. */
static void test_columns(void **state)
{
	(void)state;
	const char *text = "FROM debian:12\nRUN apt-get update \\\n  # note\n    && apt-get install -y git\n";
	struct ds_arena a = DS_ARENA_INIT;
	struct ds_source src;
	struct ds_dockerfile df;
	struct ds_model m;
	struct ds_diags diags = { NULL, 0, 0 };
	ds_source_from_mem(&src, &a, "Dockerfile", text, strlen(text));
	ds_parse(&a, &src, NULL, &df);
	ds_model_build(&a, &df, NULL, &m);
	struct ds_lint_config cfg;
	ds_lint_config_init(&cfg);
	ds_lint(&a, &df, &m, NULL, &cfg, &diags);
	ds_source_lines(&src, &a);
	bool seen = false;
	for (size_t i = 0; i < diags.n; i++) {
		if (!diags.v[i].code || strcmp(diags.v[i].code, "DL3008"))
			continue;
		uint32_t line, col;
		ds_source_linecol(&src, diags.v[i].off, &line, &col);
		assert_int_equal(line, 4);
		assert_int_equal(col, 27);
		assert_memory_equal(text + diags.v[i].off, "git", 3);
		assert_int_equal(diags.v[i].end - diags.v[i].off, 3);
		seen = true;
	}
	assert_true(seen);
	ds_arena_release(&a);
}

int main(void)
{
	size_t n = sizeof cases / sizeof *cases;
	struct CMUnitTest *tests = calloc(n + 2, sizeof *tests);
	if (!tests)
		return 1;
	for (size_t i = 0; i < n; i++) {
		tests[i].name = cases[i].name;
		tests[i].test_func = run_case;
		tests[i].initial_state = (void *)(uintptr_t)&cases[i];
	}
	tests[n].name = "every DL rule has both cases";
	tests[n].test_func = test_every_rule_covered;
	tests[n + 1].name = "findings point at the command in a continued RUN";
	tests[n + 1].test_func = test_columns;
	int rc = _cmocka_run_group_tests("dl", tests, n + 2, NULL, NULL);
	free(tests);
	return rc;
}
