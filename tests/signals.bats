#!/usr/bin/env bats
# Signals and failures leave nothing behind (core/error.h, "Signals"): a run killed by
# SIGTERM or SIGINT removes its temporaries and the output directory it created, and
# exits by the signal; a failing run does not leave the --oc DIR it created.
# The scans are held mid-run deterministically: the sequence comes from a FIFO that is
# fed 1 MB and then kept open, so the scan has opened its outputs and waits for more.

load helpers

setup() {
    T="$BATS_TEST_TMPDIR"
    M="$FIX/scan/two.meme"
}

# start_held PATTERN CMD...: run CMD (stdin from a held FIFO, SIGINT at its default
# action even in a background job) until PATTERN (a find -path pattern) matches N files
# (default 1, $HELD_N); sets PID.  The FIFO's writer stays open on fd $W (not fd 3,
# which is bats' own).
start_held() {
    local pat=$1; shift
    mkfifo "$T/in.fifo"
    env --default-signal=INT "$@" < "$T/in.fifo" > "$T/stdout" 2> "$T/stderr" 3>&- &
    PID=$!
    exec {W}> "$T/in.fifo"
    { printf '>s1\n'; yes ACGTACGTTGACGTCATCGATCGTAGCTAGCACGTGCATCGATCGA | head -c 1000000; echo; } >&$W
    local i
    for i in $(seq 1 300); do
        [ "$(find "$T" -path "$pat" | wc -l)" -ge "${HELD_N:-1}" ] && return 0
        sleep 0.1
    done
    echo "the run never opened its outputs" >&2
    return 1
}

# kill_held SIG: send SIG, release the FIFO, wait; sets STATUS.
kill_held() {
    kill -s "$1" "$PID"
    exec {W}>&-
    STATUS=0
    wait "$PID" || STATUS=$?
}

# Every path under $T but the FIFO and the tool's stdout/stderr.
left() { find "$T" -mindepth 1 ! -name in.fifo ! -name stdout ! -name stderr | sort; }

@test "SIGTERM: scan --oc removes its six temporaries and the directories it created" {
    HELD_N=6 start_held "$T/a/b/oc/*.tmp.*" "$BIN/coopmap-scan" --oc "$T/a/b/oc" "$M" -
    [ "$(find "$T/a/b/oc" -name '*.tmp.*' | wc -l)" -eq 6 ]
    kill_held TERM
    [ "$STATUS" -eq 143 ]
    run left
    assert_output ""
}

@test "SIGINT: scan --oc removes its temporaries and the directory it created, exit 130" {
    HELD_N=6 start_held "$T/oc/*.tmp.*" "$BIN/coopmap-scan" --oc "$T/oc" "$M" -
    kill_held INT
    [ "$STATUS" -eq 130 ]
    run left
    assert_output ""
}

@test "SIGTERM: scan --oc into an existing directory keeps it and what it held" {
    mkdir "$T/oc" && echo keep > "$T/oc/notes.txt"
    HELD_N=6 start_held "$T/oc/*.tmp.*" "$BIN/coopmap-scan" --oc "$T/oc" "$M" -
    kill_held TERM
    [ "$STATUS" -eq 143 ]
    run left
    assert_output "$T/oc
$T/oc/notes.txt"
}

@test "SIGTERM and SIGINT: scan --text -o leaves neither the output nor its temporary" {
    start_held "$T/out.tsv.tmp.*" "$BIN/coopmap-scan" --text -o "$T/out.tsv" "$M" -
    kill_held TERM
    [ "$STATUS" -eq 143 ]
    run left
    assert_output ""
    rm -f "$T/in.fifo"
    start_held "$T/out.tsv.tmp.*" "$BIN/coopmap-scan" --text -o "$T/out.tsv" "$M" -
    kill_held INT
    [ "$STATUS" -eq 130 ]
    run left
    assert_output ""
}

@test "SIGTERM: a real genome scan (../shared) killed mid-run leaves nothing" {
    need_shared
    local J="$SHARED/data/jaspar/JASPAR2024_CORE_vertebrates_non-redundant.meme"
    local G="$SHARED/data/genome/hg19_chr22_1-22000000.fa.gz"
    env --default-signal=INT "$BIN/coopmap-scan" --oc "$T/real" "$J" "$G" > /dev/null 2>&1 3>&- &
    PID=$!
    local i
    for i in $(seq 1 600); do
        [ "$(find "$T/real" -name '*.tmp.*' 2>/dev/null | wc -l)" -eq 6 ] && break
        sleep 0.1
    done
    [ "$(find "$T/real" -name '*.tmp.*' | wc -l)" -eq 6 ]
    sleep 1      # inside the scan proper
    kill -TERM "$PID"
    STATUS=0
    wait "$PID" || STATUS=$?
    [ "$STATUS" -eq 143 ]
    [ ! -e "$T/real" ]
}

@test "scan --oc DIR with a failing --bed leaves no DIR (and keeps an existing one)" {
    run "$BIN/coopmap-scan" --oc "$T/oc" --bed "$T/no/such/dir/x.bed" "$M" "$FIX/scan/coords.fa"
    assert_failure 1
    assert_output --partial "coopmap-scan: $T/no/such/dir/x.bed: cannot write"
    [ ! -e "$T/oc" ]
    mkdir "$T/oc2"
    run "$BIN/coopmap-scan" --oc "$T/oc2" --bed "$T/no/such/dir/x.bed" "$M" "$FIX/scan/coords.fa"
    assert_failure 1
    [ -d "$T/oc2" ] && [ -z "$(ls -A "$T/oc2")" ]
}

@test "scan --oc DIR: a FASTA error leaves no DIR" {
    run "$BIN/coopmap-scan" --oc "$T/a/oc" "$M" "$FIX/scan/bad.fa"
    assert_failure 1
    [ ! -e "$T/a" ]
}
