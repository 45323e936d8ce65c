#!/bin/sh
# gen-rule-docs.sh - regenerates docs/rules/ from rules/rules.def (run after editing the table).
# usage: sh tools/gen-rule-docs.sh [BUILD]   (BUILD: the build folder, default build)
set -eu
build=${1:-build}
cmake --build "$build" --target ds_rule_docs >/dev/null
mkdir -p docs/rules
rm -f docs/rules/*.md
"$build/ds_rule_docs" docs/rules
echo "docs/rules: $(ls docs/rules | wc -l) pages"
