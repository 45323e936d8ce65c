/* lsp_instrdoc.c - what each Dockerfile instruction does when BuildKit builds it, for hover. */
#include "cli/lsp.h"

/*
 * Indexed by enum ds_instr_kind, so the list of instructions itself stays
 * in parser/instructions.def; the static assertion below (and a unit
 * test) catch an instruction added there without a text here.
 */
static const char *const docs[DS_I__COUNT] = {
	[DS_I_ADD] =
		"**ADD** [--chown=U:G] [--chmod=M] [--link] [--checksum=H] [--keep-git-dir] [--unpack] [--exclude=P] [--parents] SRC... DEST\n\n"
		"Copies files from the build context into the image like COPY, and also fetches remote sources: "
		"an `http(s)` URL is downloaded (checked against `--checksum`), a git URL is cloned, and a local "
		"tar archive is unpacked into DEST. Prefer COPY unless one of these is wanted.",
	[DS_I_ARG] =
		"**ARG** NAME[=default] ...\n\n"
		"Declares a build argument, set with `docker build --build-arg NAME=value`. Before the first FROM "
		"it is global and can be used only in FROM lines; a stage that needs it declares it again "
		"(`ARG NAME`). Inside a stage it is visible to the instructions after it, but is not part of the "
		"image's environment.",
	[DS_I_CMD] =
		"**CMD** [\"executable\", \"arg\"...] | [\"arg\"...] | command line\n\n"
		"The default command of a container, or the default arguments of the ENTRYPOINT; `docker run "
		"IMAGE ARGS` replaces it. Exec form (a JSON array) runs the program directly; shell form runs "
		"`SHELL` (default `/bin/sh -c`) with the text, which needs a shell in the image. Only the last "
		"CMD of the stage counts.",
	[DS_I_COPY] =
		"**COPY** [--from=STAGE|IMAGE] [--chown=U:G] [--chmod=M] [--link] [--parents] [--exclude=P] SRC... DEST\n\n"
		"Copies files from the build context, or with `--from` from an earlier stage (by name or index) "
		"or an image, into the image at DEST (relative to WORKDIR). Files are owned by root unless "
		"`--chown` says otherwise; `.dockerignore` applies to the context.",
	[DS_I_ENTRYPOINT] =
		"**ENTRYPOINT** [\"executable\", \"arg\"...] | command line\n\n"
		"The program a container runs; CMD (or `docker run` arguments) are appended to it in exec form. "
		"Shell form runs `SHELL` with the text, ignores CMD and the run arguments, and needs a shell. "
		"Setting ENTRYPOINT clears a CMD inherited from the base image.",
	[DS_I_ENV] =
		"**ENV** NAME=value ...\n\n"
		"Sets environment variables for the instructions after it and for containers of the image; "
		"values expand `$VAR` from ARG and earlier ENV. Child stages (`FROM <stage>`) inherit them.",
	[DS_I_EXPOSE] =
		"**EXPOSE** PORT[/tcp|/udp] ...\n\n"
		"Records ports the container listens on. It publishes nothing by itself: `docker run -p` or "
		"`-P` does.",
	[DS_I_FROM] =
		"**FROM** [--platform=P] IMAGE[:TAG][@DIGEST] | STAGE [AS NAME]\n\n"
		"Starts a build stage on a base: a registry image, an earlier stage by name, or `scratch` "
		"(empty). Global ARGs can be used in the reference. The last stage (or `--target`) is the image "
		"that is built; other stages are built only when it needs them.",
	[DS_I_HEALTHCHECK] =
		"**HEALTHCHECK** [--interval=D] [--timeout=D] [--start-period=D] [--start-interval=D] [--retries=N] CMD command | NONE\n\n"
		"A command Docker runs inside the container to test that it still works: exit 0 healthy, 1 "
		"unhealthy. `CMD` in shell form needs a shell in the image. `NONE` disables a health check "
		"inherited from the base image.",
	[DS_I_LABEL] =
		"**LABEL** key=value ...\n\n"
		"Adds metadata to the image (`docker inspect` shows it); labels of the base image are "
		"inherited and can be overridden.",
	[DS_I_MAINTAINER] =
		"**MAINTAINER** name\n\n"
		"Deprecated: sets the image's author field. Use `LABEL org.opencontainers.image.authors=...`.",
	[DS_I_ONBUILD] =
		"**ONBUILD** INSTRUCTION\n\n"
		"Stores a trigger in the image: the instruction runs at the start of any later build whose "
		"FROM names this image. ONBUILD RUN needs a shell in that child build.",
	[DS_I_RUN] =
		"**RUN** [--mount=...] [--network=default|none|host] [--security=insecure|sandbox] command | [\"executable\", \"arg\"...]\n\n"
		"Runs a command during the build and commits the result as a layer. Shell form (and heredocs) "
		"run through `SHELL` (default `/bin/sh -c`); exec form runs the program directly. `--mount` "
		"gives it caches, secrets, SSH agents or files of other stages without putting them in the "
		"image.",
	[DS_I_SHELL] =
		"**SHELL** [\"executable\", \"arg\"...]\n\n"
		"Sets the shell that shell-form RUN, CMD and ENTRYPOINT use for the rest of the stage (default "
		"`[\"/bin/sh\", \"-c\"]`; on Windows `[\"cmd\", \"/S\", \"/C\"]`).",
	[DS_I_STOPSIGNAL] =
		"**STOPSIGNAL** signal\n\n"
		"The signal `docker stop` sends to the container's main process (default `SIGTERM`), by name "
		"or number.",
	[DS_I_USER] =
		"**USER** user[:group] | uid[:gid]\n\n"
		"The user (and group) that later RUN instructions and the container's process run as. A name "
		"must exist in the image's `/etc/passwd`; numeric ids need no entry.",
	[DS_I_VOLUME] =
		"**VOLUME** PATH ... | [\"PATH\", ...]\n\n"
		"Marks paths as mount points: each container gets an anonymous volume there unless one is "
		"mounted, initialised from the image's files.",
	[DS_I_WORKDIR] =
		"**WORKDIR** PATH\n\n"
		"Sets the working folder of later instructions and of the container, creating it if missing. "
		"A relative path is joined to the previous WORKDIR.",
	[DS_I_UNKNOWN] =
		"**Unknown instruction**\n\n"
		"BuildKit does not know this instruction and stops the build here.",
};

_Static_assert(DS_I__COUNT == 19, "parser/instructions.def changed: give every instruction a text in lsp_instrdoc.c");

const char *ds_lsp_instr_doc(enum ds_instr_kind k)
{
	if ((unsigned)k >= DS_I__COUNT || !docs[k])
		return docs[DS_I_UNKNOWN];
	return docs[k];
}
