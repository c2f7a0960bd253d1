# Sourced by the golden-output tests (tests/lint.sh, tests/xlate.sh) with
# their arguments: path/to/setkey [--update]. Sets SETKEY (absolute),
# UPDATE, HERE (tests/), CASES (the seed's scripts) and a scratch TMP.
set -u
SETKEY=$(cd "$(dirname "${1:-./setkey}")" && pwd)/$(basename "${1:-./setkey}")
UPDATE=${2:-}
HERE=$(cd "$(dirname "$0")" && pwd)
CASES=$(cd "$HERE/../../../selftests/setkey/cases" && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
