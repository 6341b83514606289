#!/bin/sh
# check_sources.sh DIR: fails (exit 1) when a file under DIR calls a libc function that
# CONVENTIONS.md bans: strcpy strcat sprintf vsprintf gets atoi atol atoll atof strtok sscanf
# system. Each finding is printed as file:line. A call is the name followed by "(": snprintf,
# vsnprintf, fgets, strtok_r, members (s.system(), p->system()) and the like are fine, and so
# are the names inside comments and string or character literals, which are blanked before
# matching (block comments may span lines; literals may not). Not caught: a banned function
# taken by address or called through parentheses, as in (atoi)(s).
# Exit 2 on a usage error or when DIR holds no C source, so a wrong path cannot pass.
set -u

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
    echo "usage: check_sources.sh DIR" >&2
    exit 2
fi
dir=$1

if [ -z "$(find "$dir" -type f -name '*.c' | head -n 1)" ]; then
    echo "check_sources.sh: no C sources under $dir" >&2
    exit 2
fi

report=$(find "$dir" -type f -exec awk -v sq="'" '
FNR == 1 { inblock = 0 }
{
    line = $0
    out = ""
    q = ""
    n = length(line)
    i = 1
    while (i <= n) {
        c = substr(line, i, 1)
        c2 = substr(line, i, 2)
        if (inblock) {
            if (c2 == "*/") { inblock = 0; out = out "  "; i += 2 }
            else { out = out " "; i++ }
            continue
        }
        if (q != "") {
            if (c == "\\") { out = out "  "; i += 2; continue }
            if (c == q) q = ""
            out = out " "
            i++
            continue
        }
        if (c2 == "/*") { inblock = 1; out = out "  "; i += 2; continue }
        if (c2 == "//") break
        if (c == "\"" || c == sq) { q = c; out = out " "; i++; continue }
        out = out c
        i++
    }
    re = "(^|[^A-Za-z0-9_.>])(strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|atoll|atof|strtok|sscanf|system)[ \t]*[(]"
    if (match(out, re)) {
        name = substr(out, RSTART, RLENGTH)
        sub(/^[^A-Za-z_]/, "", name)
        sub(/[ \t]*[(]$/, "", name)
        print FILENAME ":" FNR ": " name "() is banned (CONVENTIONS.md): " line
    }
}' {} +)
status=$?

if [ -n "$report" ]; then
    printf '%s\n' "$report"
    exit 1
fi
if [ $status -ne 0 ]; then
    echo "check_sources.sh: scanning $dir failed" >&2
    exit 2
fi
exit 0
