#!/usr/bin/env python3
"""imagediff.py - compares the image models of a Dockerfile and its conversion, independently of convert.

usage: imagediff.py BEFORE.json AFTER.json KINDS

BEFORE.json and AFTER.json are `distill inspect --json` lines; KINDS the
comma-separated change kinds convert declared for this file (from its
--explain output). Prints one line per difference: "declared KIND FIELD
KEY" or "undeclared FIELD KEY: BEFORE -> AFTER", and exits 1 when any
difference is undeclared. The rules are written here again, on purpose, so
that a mistake in convert's own proof (rewrite/proof.c) shows up as a
disagreement instead of being repeated:

- the command is compared after reading `sh -c "plain words"` as the words,
  taking off entrypoint scripts that only run their arguments (node's
  docker-entrypoint.sh, eclipse-temurin's /__cacert_entrypoint.sh, php's
  docker-php-entrypoint), and naming interpreters by language (node,
  python, java whatever their path);
- ENV that only the base images set, or that the same text expands from
  the bases' variables, is kind "base"; PYTHONPATH is kind "env";
- an unknown value on either side is a difference nobody can show equal;
- ports and volumes only the base image declared go with it (kind "base");
- a launcher of the base image that changes folder (run-java.sh) runs the
  program there, so that folder is compared with the result's WORKDIR.
"""
import json
import os
import re
import shlex
import sys

SHELL_CHARS = re.compile(r"[$`|&;<>(){}*?\[\]~#\\]")
PASSTHROUGH = {"docker-entrypoint.sh": "node", "/usr/local/bin/docker-entrypoint.sh": "node",
               "/__cacert_entrypoint.sh": None, "docker-php-entrypoint": "php"}
INIT = {"tini", "tini-static", "dumb-init"}
# launchers of base images that change folder before they run the program
# (Red Hat's OpenJDK images: run-java.sh runs in JAVA_APP_DIR, /deployments)
LAUNCHER_CWD = {"/opt/jboss/container/java/run/run-java.sh": "/deployments"}


def interpreter(word):
    b = os.path.basename(word)
    if b in ("node", "nodejs"):
        return "node"
    if b == "java":
        return "java"
    if b in ("python", "python3") or re.fullmatch(r"python3\.\d+", b):
        return "python"
    return None


def canonical(argv, env):
    """The command in a comparable form, and whether an init wrapper was taken off."""
    if argv is None:
        return None, False
    v = list(argv)
    init = False
    for _ in range(8):
        if not v:
            break
        b = os.path.basename(v[0])
        if b in INIT:
            i = 1
            while i < len(v) and v[i].startswith("-"):
                i += 1
                if v[i - 1] == "--":
                    break
            v, init = v[i:], True
            continue
        if b in ("sh", "bash", "ash", "dash") and len(v) >= 3 and v[1] == "-c":
            text = v[2].strip()
            if SHELL_CHARS.search(text.replace("\\\n", "")):
                break
            words = shlex.split(text)
            if words and words[0] == "exec":
                words = words[1:]
            v = words
            continue
        if v[0] in PASSTHROUGH:
            if v[0] == "/__cacert_entrypoint.sh" and env.get("USE_SYSTEM_CA_CERTS") is not None:
                break
            prepend = PASSTHROUGH[v[0]]
            v = v[1:]
            if prepend and v and (v[0].startswith("-") or (prepend == "node" and v[0].endswith((".js", ".mjs", ".cjs")))):
                v = [prepend] + v
            continue
        break
    if v and interpreter(v[0]):
        v[0] = interpreter(v[0])
    return v, init


def main():
    before = json.loads(open(sys.argv[1]).read())["image"]
    after = json.loads(open(sys.argv[2]).read())["image"]
    kinds = set(k for k in sys.argv[3].split(",") if k)
    out = []

    def diff(field, key, x, y, kind=None):
        if kind and kind in kinds:
            out.append("declared %s %s %s" % (kind, field, key or ""))
        else:
            out.append("undeclared %s %s: %r -> %r" % (field, key or "", x, y))

    # the folder the program runs in: a launcher of the base image may change to another first
    wd_before = before["workdir"]
    if before["argv"] and before["argv"][0] in LAUNCHER_CWD and "script" in kinds:
        wd_before = LAUNCHER_CWD[before["argv"][0]]
    if wd_before is None or wd_before != after["workdir"]:
        diff("workdir", None, before["workdir"], after["workdir"])
    bu, au = before["user"], after["user"]
    same_user = bu is not None and au is not None and (
        (bu["uid"] >= 0 and au["uid"] >= 0 and bu["uid"] == au["uid"] and bu["gid"] == au["gid"])
        or (bu["uid"] < 0 and au["uid"] < 0 and bu["spec"] == au["spec"]))
    if not same_user:
        diff("user", None, bu, au, "user")
    for name in sorted(set(before["env"]) | set(after["env"])):
        x, y = before["env"].get(name), after["env"].get(name)
        if name in before["env"] and name in after["env"] and x is not None and x == y:
            continue
        sx, sy = before["env_source"].get(name), after["env_source"].get(name)
        from_base = (sx is None and sy is None) or (sx is not None and sx == sy and "$" in sx)
        if name == "PYTHONPATH":
            diff("env", name, x, y, "env")
        elif sx is None and sy is not None and "script" in kinds and name not in before["env"]:
            diff("env", name, x, y, "script")
        elif False:
            diff("env", name, x, y, "env")
        elif from_base:
            diff("env", name, x, y, "base")
        elif sx is not None and sy is not None and re.sub(r"python3\.\d+", "python3.X", sx) == \
                re.sub(r"python3\.\d+", "python3.X", sy):
            diff("env", name, x, y, "bump")
        else:
            diff("env", name, x, y)
    for field in ("labels",):
        if before[field] != after[field]:
            diff(field, None, before[field], after[field])
    for field in ("expose", "volumes"):
        if before[field] is None or after[field] is None:
            diff(field, None, before[field], after[field])
            continue
        gone = set(before[field]) - set(after[field])
        if set(after[field]) - set(before[field]) or gone - set(before[field + "_base"]):
            diff(field, None, before[field], after[field])
        elif gone:
            # what only the base image declared goes with it
            diff(field, ",".join(sorted(gone)), before[field], after[field], "base")
    if before["stopsignal"] is None or (before["stopsignal"] or "").upper() != (after["stopsignal"] or "").upper():
        diff("stopsignal", None, before["stopsignal"], after["stopsignal"])
    if before["onbuild"] != after["onbuild"]:
        diff("onbuild", None, len(before["onbuild"]), len(after["onbuild"]), "onbuild")
    hb, ha = before["healthcheck"], after["healthcheck"]
    if hb != ha:
        if ha is False and hb:
            diff("healthcheck", None, hb, ha, "healthcheck")
        elif isinstance(hb, dict) and isinstance(ha, dict) and hb.get("options") == ha.get("options") and \
                canonical(hb.get("test"), before["env"])[0] == canonical(ha.get("test"), after["env"])[0]:
            pass
        else:
            diff("healthcheck", None, hb, ha)
    cb, ib = canonical(before["argv"], before["env"])
    ca, ia = canonical(after["argv"], after["env"])
    if cb is None or ca is None:
        diff("argv", None, before["argv"], after["argv"])
    elif cb != ca:
        if "repair" in kinds and len(cb) == len(ca) + 1 and len(cb) >= 2 and cb[0] == cb[1] and cb[1:] == ca:
            out.append("declared repair argv")
        elif "script" in kinds or "init" in kinds:
            # what a start script comes down to was read from the build context,
            # which this comparison does not see: it can only be reported
            out.append("declared %s argv" % ("script" if "script" in kinds else "init"))
        else:
            diff("argv", None, cb, ca)
    elif ib and not ia:
        diff("argv", "init", before["argv"], after["argv"], "init")
    for line in out:
        print(line)
    sys.exit(1 if any(line.startswith("undeclared") for line in out) else 0)


if __name__ == "__main__":
    main()
