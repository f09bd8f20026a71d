#!/usr/bin/env bash
# A throwaway PostgreSQL for tests, in a folder the caller owns and removes afterwards.
#   pg_test_server.sh start DIR   initdb into DIR/data and start a server listening only on a
#                                 Unix socket in DIR; prints the URL of its "feedgate" database
#                                 (superuser "feedgate", trust authentication; the role
#                                 "feedgate_pw", once a test creates it, needs a password)
#   pg_test_server.sh stop DIR    stops it (fast shutdown)
#   pg_test_server.sh resume DIR  starts a stopped one again, data kept (a database restart)
# Exits 77 with the reason on stderr when PostgreSQL's server programs are not installed or the
# server cannot start. PostgreSQL refuses to run as root, so as root the server runs as the
# unprivileged user "nobody" (tests run as root in CI).
set -euo pipefail

usage() { echo "usage: $0 start|stop|resume DIR" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
command=$1
dir=$(realpath "$2")

skip() { echo "SKIPPED: $*" >&2; exit 77; }

# Debian's server programs live in /usr/lib/postgresql/VERSION/bin; 15 first, else the newest.
# FEEDGATE_PG_BINDIR names another folder (and, set to a folder without them, shows the skip).
bindir=""
candidates=(/usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV))
[[ -z ${FEEDGATE_PG_BINDIR:-} ]] || candidates=("$FEEDGATE_PG_BINDIR")
for candidate in "${candidates[@]}"; do
  if [[ -x $candidate/initdb && -x $candidate/pg_ctl ]]; then bindir=$candidate; break; fi
done
[[ -n $bindir ]] || skip "PostgreSQL server not installed (Debian: apt-get install postgresql-15)"

as_owner() {
  if [[ $(id -u) -ne 0 ]]; then
    "$@"
  elif command -v runuser >/dev/null; then
    runuser -u nobody -- "$@"
  elif command -v setpriv >/dev/null; then
    setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"
  else
    skip "running as root and neither runuser nor setpriv is available to drop to nobody"
  fi
}

# Durability off: a test database is thrown away, and fsync is most of its start-up cost.
start_server() {
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o \
    "-k $dir -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null 2>&1
}

case $command in
  start)
    [[ $(id -u) -ne 0 ]] || chown nobody "$dir"
    as_owner test -w "$dir" -a -x "$dir" ||
      skip "$dir is out of reach of the server's user (as root: nobody); use a folder of its own under /tmp"
    if ! as_owner "$bindir/initdb" -D "$dir/data" -U feedgate --auth=trust --no-sync -E UTF8 \
        --locale=C >"$dir/initdb.log" 2>&1; then
      skip "initdb failed: $(tail -n 3 "$dir/initdb.log" | tr '\n' ' ')"
    fi
    # Every user connects without a password, except "feedgate_pw", which must give one (SCRAM):
    # the tests of storage.password_file log in as it.
    as_owner bash -c "printf 'local all feedgate_pw scram-sha-256\n' | cat - '$dir/data/pg_hba.conf' \
      >'$dir/data/pg_hba.new' && mv '$dir/data/pg_hba.new' '$dir/data/pg_hba.conf'"
    start_server || skip "PostgreSQL did not start: $(tail -n 3 "$dir/server.log" 2>/dev/null | tr '\n' ' ')"
    url="postgresql:///postgres?host=$dir&user=feedgate"
    if ! "$bindir/psql" "$url" -qAt -c "CREATE DATABASE feedgate" >"$dir/psql.log" 2>&1 &&
       ! psql "$url" -qAt -c "CREATE DATABASE feedgate" >"$dir/psql.log" 2>&1; then
      skip "cannot create the test database: $(cat "$dir/psql.log")"
    fi
    echo "postgresql:///feedgate?host=$dir&user=feedgate"
    ;;
  resume)
    start_server || { echo "PostgreSQL did not start again: $(tail -n 3 "$dir/server.log")" >&2; exit 1; }
    ;;
  stop)
    [[ -d $dir/data ]] || exit 0
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
    ;;
  *) usage ;;
esac
