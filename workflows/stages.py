"""The stage command table of workflows/stages.yaml: render a stage's command line, and
check that a command line some front end ran follows its stage's template.

    import stages
    table = stages.load()                       # workflows/stages.yaml
    cmd = stages.render(table, "stats", tool="bin/coopmap-stats", alpha=0.05, ...)
    slots = stages.match(table, "stats", cmd)   # {"alpha": "0.05", ...}; raises on drift

Template syntax (the head of stages.yaml): `{slot}` one shell word, `{slot...}` one or
more words, `[ ... ]` an optional group (present when every slot in it has a value; a
`{slot?}` slot is a flag: the group is present when it is true, and the slot itself
renders no word).  The first word is the tool.  Rendering shell-quotes every value
(shlex.quote), so any front end's quoting is accepted by match(), which compares the
shell words of the two command lines (shlex.split).

Used by the Snakemake rules (workflows/snakemake/Snakefile) and by
tests/workflow_drift.py; plain Python 3 and PyYAML, nothing else.
"""
import os
import re
import shlex

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT = os.path.join(HERE, "stages.yaml")

_SLOT = re.compile(r"^\{([A-Za-z_][A-Za-z0-9_]*)(\.\.\.|\?)?\}$")


class StageError(ValueError):
    """A template that cannot be parsed, a missing value, or a command that drifted."""


def load(path=DEFAULT):
    """The parsed table: {stage: {"command": str, "inputs": [...], ...}}."""
    with open(path) as f:
        doc = yaml.safe_load(f)
    stages = doc.get("stages") if isinstance(doc, dict) else None
    if not isinstance(stages, dict) or not stages:
        raise StageError(f"{path}: no `stages:` mapping")
    for name, st in stages.items():
        if not isinstance(st, dict) or not isinstance(st.get("command"), str):
            raise StageError(f"{path}: stage {name}: no `command:` string")
        st["_tokens"] = parse(st["command"], f"{path}: stage {name}")
        declared = set(st.get("inputs", [])) | set(st.get("outputs", [])) | set(st.get("params", []))
        used = set(slots(st["_tokens"]))
        if used != declared:
            raise StageError(f"{path}: stage {name}: slots {sorted(used)} in the command, "
                             f"{sorted(declared)} declared")
    return stages


def parse(command, where="template"):
    """Template -> token list: ("lit", word) | ("slot", name, kind) | ("opt", [tokens]).
    kind is "" (one word), "..." (one or more) or "?" (flag)."""
    words = command.split()
    out, stack = [], []
    for w in words:
        opens = 0
        while w.startswith("["):
            opens += 1
            w = w[1:]
        closes = 0
        while w.endswith("]"):
            closes += 1
            w = w[:-1]
        for _ in range(opens):
            stack.append(out)
            out = []
        if w:
            m = _SLOT.match(w)
            if m:
                out.append(("slot", m.group(1), m.group(2) or ""))
            elif "{" in w or "}" in w:
                raise StageError(f"{where}: bad slot word '{w}'")
            else:
                out.append(("lit", w))
        for _ in range(closes):
            if not stack:
                raise StageError(f"{where}: ']' without '['")
            group, out = out, stack.pop()
            out.append(("opt", group))
    if stack:
        raise StageError(f"{where}: '[' without ']'")
    if not out or out[0][0] != "lit":
        raise StageError(f"{where}: the first word must be the tool")
    return out


def slots(tokens):
    """Every slot name of a token list, in order."""
    for t in tokens:
        if t[0] == "slot":
            yield t[1]
        elif t[0] == "opt":
            yield from slots(t[1])


def _given(v):
    return v is not None and v is not False and v != "" and v != []


def _render(tokens, values, stage):
    words = []
    for t in tokens:
        if t[0] == "lit":
            words.append(t[1])
        elif t[0] == "slot":
            name, kind = t[1], t[2]
            if name not in values:
                raise StageError(f"stage {stage}: no value for slot '{name}'")
            v = values[name]
            if kind == "?":
                continue
            if kind == "...":
                v = list(v) if isinstance(v, (list, tuple)) else str(v).split()
                if not v:
                    raise StageError(f"stage {stage}: slot '{name}' needs at least one word")
                words.extend(_word(x) for x in v)
            else:
                words.append(_word(v))
        else:
            inner = list(slots(t[1]))
            if all(_given(values.get(n)) for n in inner):
                words.extend(_render(t[1], values, stage))
    return words


def _word(v):
    if isinstance(v, (list, tuple)):
        v = ",".join(str(x) for x in v)
    elif isinstance(v, bool):
        v = "true" if v else "false"
    return shlex.quote(str(v))


def render(table, stage, tool=None, **values):
    """The command line of `stage` with `values` (shell-quoted).  tool replaces the first
    word (e.g. a path under bin_dir, or "python3 scripts/coopmap-convert-model"; not
    quoted).  A list value of a one-word slot is joined with commas.  Raises StageError
    for an unknown stage or a missing slot value."""
    if stage not in table:
        raise StageError(f"no stage '{stage}' in the stage table")
    words = _render(table[stage]["_tokens"], values, stage)
    if tool:
        words[0] = tool
    return " ".join(words)


def _match(tokens, words, i, got):
    """Match tokens against words[i:]; yield (end index, slots) for every way."""
    if not tokens:
        yield i, got
        return
    t, rest = tokens[0], tokens[1:]
    if t[0] == "lit":
        if i < len(words) and words[i] == t[1]:
            yield from _match(rest, words, i + 1, got)
    elif t[0] == "slot":
        name, kind = t[1], t[2]
        if kind == "?":
            yield from _match(rest, words, i, {**got, name: True})
        elif kind == "...":
            for j in range(len(words), i, -1):
                yield from _match(rest, words, j, {**got, name: words[i:j]})
        elif i < len(words):
            yield from _match(rest, words, i + 1, {**got, name: words[i]})
    else:
        for j, g in _match(t[1], words, i, got):
            yield from _match(rest, words, j, g)
        yield from _match(rest, words, i, got)


def match(table, stage, command):
    """Check that `command` (a shell command line; redirections and anything after a
    top-level `2>`, `>`, `|`, `&&` or `;` are cut off) runs `stage` as its template
    says.  The tool word matches when its basename is the template's tool (any
    directory or interpreter before it is allowed).  Returns {slot: value} (a word,
    a list of words for `...` slots, True for flags present); raises StageError naming
    the stage, the template and the command when it does not match."""
    if stage not in table:
        raise StageError(f"no stage '{stage}' in the stage table")
    lex = shlex.shlex(command, posix=True, punctuation_chars=";&|<>")
    lex.whitespace_split = True
    words = []
    for w in lex:
        if re.fullmatch(r"[;&|<>]+", w):
            # "CMD 2> log": the "2" of the redirection is a word of its own
            if words and words[-1] == "2" and w.startswith(">") and re.search(r"\s2>", command):
                words.pop()
            break
        words.append(w)
    tokens = table[stage]["_tokens"]
    tool = tokens[0][1]
    for k, w in enumerate(words):
        if os.path.basename(w) == tool:
            break
    else:
        raise StageError(f"stage {stage}: tool {tool} not in: {command}")
    for end, got in _match(tokens[1:], words, k + 1, {}):
        if end == len(words):
            return got
    raise StageError(f"stage {stage}: the command does not follow stages.yaml\n"
                     f"  template: {table[stage]['command']}\n  command:  {command}")
