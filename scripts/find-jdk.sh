# Finds a JDK 21 or newer for Arbor's scripts. Source it, then call arbor_find_jdk:
#
#   . scripts/find-jdk.sh
#   arbor_find_jdk || { echo "$ARBOR_JDK_PROBLEM" >&2; exit 1; }
#   "$ARBOR_JAVA_HOME/bin/java" ...
#
# Order: $JAVA_HOME when it is a JDK >= 21, else the newest JDK >= 21 under /usr/lib/jvm
# (ARBOR_JVM_DIR overrides that directory, which is how the "none found" path is tried out).
# Written once here so ./arbor and .ci/run cannot drift apart.

ARBOR_MIN_JAVA=21

# Prints the major version of the JDK at $1 (e.g. 17, 21, 25), or nothing when it is not a JDK.
arbor_java_major() {
    local home=$1 version=""
    [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 0
    if [ -r "$home/release" ]; then
        version=$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$home/release")
    fi
    if [ -z "$version" ]; then
        # No release file (some distribution layouts): ask the launcher, whose first line reads
        # e.g. 'openjdk version "21.0.2" 2024-01-16'.
        version=$("$home/bin/java" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n 1)
    fi
    version=${version#1.}   # "1.8.0_392" is Java 8
    version=${version%%[.+-]*}
    case $version in
        ''|*[!0-9]*) return 0 ;;
        *) echo "$version" ;;
    esac
}

# Sets ARBOR_JAVA_HOME and returns 0, or sets ARBOR_JDK_PROBLEM (one line) and returns 1.
arbor_find_jdk() {
    ARBOR_JAVA_HOME=""
    ARBOR_JDK_PROBLEM=""
    local jvm_dir=${ARBOR_JVM_DIR:-/usr/lib/jvm}
    local home major java_home_note best="" best_major=0 seen=""

    if [ -n "${JAVA_HOME:-}" ]; then
        major=$(arbor_java_major "$JAVA_HOME")
        if [ -n "$major" ] && [ "$major" -ge "$ARBOR_MIN_JAVA" ]; then
            ARBOR_JAVA_HOME=$JAVA_HOME
            return 0
        fi
        java_home_note="JAVA_HOME=$JAVA_HOME is ${major:-not a JDK}"
    else
        java_home_note="JAVA_HOME unset"
    fi

    for home in "$jvm_dir"/*; do
        [ -d "$home" ] || continue
        major=$(arbor_java_major "$home")
        [ -n "$major" ] || continue
        case " $seen " in *" $major "*) ;; *) seen="${seen:+$seen }$major" ;; esac
        if [ "$major" -ge "$ARBOR_MIN_JAVA" ] && [ "$major" -gt "$best_major" ]; then
            best=$home
            best_major=$major
        fi
    done

    if [ -n "$best" ]; then
        ARBOR_JAVA_HOME=$best
        return 0
    fi
    ARBOR_JDK_PROBLEM="arbor: needs a JDK $ARBOR_MIN_JAVA or newer; found none ($java_home_note, $jvm_dir has ${seen:+only }${seen:-no JDK}). Install one, e.g. apt-get install openjdk-21-jdk, or set JAVA_HOME."
    return 1
}
