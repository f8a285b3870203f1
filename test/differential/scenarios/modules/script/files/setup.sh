#!/bin/sh
echo "args: $#: $1"
echo "cwd: $(pwd)"
touch /tmp/tsplay-diff-script/marker
