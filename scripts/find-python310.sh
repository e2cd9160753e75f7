#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter (Rasa 3.6 runs on 3.8-3.10 only), or explain what is missing.
set -u
is310() { "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; }
for candidate in "${PYTHON310:-}" "$(command -v python3.10 2>/dev/null)"; do
  if [ -n "$candidate" ] && is310 "$candidate"; then echo "$candidate"; exit 0; fi
done
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for candidate in $(ls -d "$root"/versions/3.10*/bin/python 2>/dev/null | sort -rV); do
    if is310 "$candidate"; then echo "$candidate"; exit 0; fi
  done
fi
for candidate in /usr/bin/python3.10 /usr/local/bin/python3.10 "$HOME"/.pyenv/versions/3.10*/bin/python; do
  if [ -x "$candidate" ] && is310 "$candidate"; then echo "$candidate"; exit 0; fi
done
cat >&2 <<'MSG'
error: Python 3.10 was not found. Rasa 3.6 needs Python 3.8-3.10 (3.11+ will not work).
Install it, e.g. `pyenv install 3.10.13`, or point PYTHON310=/path/to/python3.10 at one.
MSG
exit 1
