#!/usr/bin/env bash
# Runs this build's tests on a stack of their own, beside any other ctest run of the same build:
# the shared pipeline's run directory becomes BUILD/run/NAME and the tests' output (and ctest's
# Testing/ logs) BUILD/beside/NAME, so two e2e suites (say, two version sets) can run at once.
# The tests on that pipeline are written for this (CMakeLists.txt: cdc_pipeline_test); the
# fault, cluster and bench stacks are not, so run e2e, scenario-file or explore labels here.
# Usage: ci/ctest-beside.sh BUILD NAME CTEST_ARGS...
#   e.g. CDC_VERSIONS=debezium-3.6 ci/ctest-beside.sh build debezium-3.6 -L e2e -LE slow -j2
set -euo pipefail
build=$(cd "${1:?usage: ci/ctest-beside.sh BUILD NAME CTEST_ARGS...}" && pwd)
name=${2:?usage: ci/ctest-beside.sh BUILD NAME CTEST_ARGS...}
shift 2
[ -f "$build/pipeline-tests.cmake" ] || { echo "$build has no pipeline-tests.cmake: configure it with this tree's CMakeLists.txt (bash ci/setup.sh)"; exit 2; }
case "$name" in ctest | cli | faults* | cluster | bench | */*) echo "NAME '$name' is taken or not a plain name: pick another"; exit 2 ;; esac
dir=$build/beside/$name
mkdir -p "$dir"
cat > "$dir/CTestTestfile.cmake" <<EOF
# Written by ci/ctest-beside.sh: $build's tests, their shared pipeline in $build/run/$name.
set(CDC_CTEST_RUN_DIR [==[$build/run/$name]==])
set(CDC_CTEST_OUT [==[$dir]==])
include([==[$build/CTestTestfile.cmake]==])
EOF
status=0
ctest --test-dir "$dir" "$@" || status=$?
# How long its stack took to stream (the stack.up fixture's line), for .ci/run's summary.
grep -h 'bring-up took' "$dir/Testing/Temporary/LastTest.log" 2> /dev/null || true
exit $status
