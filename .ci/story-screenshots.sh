#!/usr/bin/env bash
# Screenshots (Chromium, 700 px column) of each story's key picture and lane chart into docs/img/.
set -euo pipefail
cd "$(dirname "$0")/.."
B=target/release/grapevine
tmp=$(mktemp -d)
for f in graphs/*.json; do
  case $f in *.questions.json) continue;; esac
  s=$(basename $f .json)
  m=$(python3 -c "import json;d=json.load(open('$f'));print(next(x['id'] for x in d['messages'] if x.get('origin') and any(x['id'] in e.get('carries',[]) for e in d['events'])))")
  for form in key lanes; do
    extra=""; [ $form = lanes ] && extra="--lanes"
    $B render $f --reach $m $extra -q -o $tmp/$s-$form.svg 2>/dev/null
    printf '<!doctype html><html><head><meta charset="utf-8"><style>body{margin:0}</style></head><body>%s</body></html>' "$(sed '1{/^<?xml/d}' $tmp/$s-$form.svg)" > $tmp/$s-$form.html
    h=$(python3 -c "import re;t=open('$tmp/$s-$form.svg').read();m=re.search(r'viewBox=\"0 0 ([0-9.]+) ([0-9.]+)\"',t);print(int(float(m.group(2))*700/float(m.group(1)))+4)")
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 --window-size=700,$h --screenshot=docs/img/$s-$form-700.png file://$tmp/$s-$form.html 2>/dev/null
    echo "docs/img/$s-$form-700.png"
  done
done
