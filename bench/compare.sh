#!/usr/bin/env bash
# gradc's training steps next to PyTorch eager: the same as `bench/run.sh compare` (see there).
exec "$(dirname "${BASH_SOURCE[0]}")/run.sh" compare "$@"
