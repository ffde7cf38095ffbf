#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 for the test suites, installing and starting
# Debian's package if needed. Idempotent. Prints the URL the tests should use on its last line.
set -euo pipefail

url="${MAEUL_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres}"
password_url="postgres://postgres:maeul@127.0.0.1:5432/postgres"

answers() { command -v psql >/dev/null && psql "$1" -Atqc 'SELECT 1' >/dev/null 2>&1; }

if answers "$url"; then echo "$url"; exit 0; fi
if answers "$password_url"; then echo "$password_url"; exit 0; fi

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v pg_ctlcluster >/dev/null; then
  echo "PostgreSQL is not installed: installing Debian's postgresql package" >&2
  as_root apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi

version=$(ls /etc/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | grep -q "^$version main .* online"; then
  echo "starting PostgreSQL $version" >&2
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || as_root pg_ctlcluster "$version" main start >&2
fi
for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done

if answers "$url"; then echo "$url"; exit 0; fi
# A fresh Debian install asks for a password over TCP: give the postgres role a local test password.
as_root su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'maeul'\"" >&2
if answers "$password_url"; then echo "$password_url"; exit 0; fi
echo "PostgreSQL is running but refuses $url and $password_url" >&2
exit 1
