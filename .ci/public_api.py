#!/usr/bin/env python3
"""The library's public API as a plain listing, from rustdoc's JSON.

    python3 .ci/public_api.py            # print the listing
    python3 .ci/public_api.py --write    # rewrite docs/public-api.txt
    python3 .ci/public_api.py --check    # fail (exit 1, with a diff) if it changed

The JSON comes from `cargo rustdoc --lib` with rustdoc's unstable JSON output
(RUSTC_BOOTSTRAP=1 on the stable toolchain). Each public item reachable from the
crate root is one line: its kind, its path and, for functions, methods, fields
and constants, its signature as written in the source (white space folded).
Trait implementations are left out (derives would drown the listing); inherent
methods are listed under their type.
"""
import difflib
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LISTING = os.path.join(ROOT, "docs", "public-api.txt")
TARGET = os.path.join(ROOT, "target", "api")


def rustdoc_json():
    env = dict(os.environ, RUSTC_BOOTSTRAP="1", CARGO_TARGET_DIR=TARGET)
    subprocess.run(
        ["cargo", "rustdoc", "--lib", "-q", "--no-default-features", "--features", "svg,png",
         "--", "-Z", "unstable-options", "--output-format", "json"],
        cwd=ROOT, env=env, check=True)
    with open(os.path.join(TARGET, "doc", "grapevine.json"), encoding="utf-8") as f:
        return json.load(f)


def source_text(span):
    path = span["filename"]
    if not os.path.isabs(path):
        path = os.path.join(ROOT, path)
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    (l0, c0), (l1, c1) = span["begin"], span["end"]
    if l0 == l1:
        return lines[l0 - 1][c0 - 1:c1]
    text = [lines[l0 - 1][c0 - 1:]] + lines[l0:l1 - 1] + [lines[l1 - 1][:c1]]
    return "\n".join(text)


def fold(text):
    return re.sub(r"\s+", " ", text).strip()


def signature(item):
    """A function's signature as written: up to its body."""
    text = source_text(item["span"])
    depth, out, prev = 0, [], ""
    for ch in text:
        if ch == "{" and depth == 0:
            break
        if ch in "(<[":
            depth += 1
        elif ch in ")]" or (ch == ">" and prev not in "-="):
            depth -= 1
        out.append(ch)
        prev = ch
    sig = fold("".join(out)).rstrip(";")
    sig = re.sub(r"^(#\[[^\]]*\]\s*)+", "", sig)
    if not re.match(r"^(pub |const |unsafe |async |fn )", sig):
        # Made by a macro: the span is the macro call; name the parameters.
        inputs = item["inner"]["function"]["sig"]["inputs"]
        sig = f"pub fn {item['name']}({', '.join(name for name, _ in inputs)}) (from a macro)"
    return sig


def field_text(item):
    text = re.sub(r"//[^\n]*", "", source_text(item["span"]))
    text = re.sub(r"#\[[^\]]*\]", "", text)
    return fold(text).rstrip(",")


class Lister:
    def __init__(self, doc):
        self.index = doc["index"]
        self.lines = set()
        self.seen = set()

    def item(self, i):
        return self.index.get(str(i))

    def public(self, it):
        return it is not None and it["crate_id"] == 0 and it["visibility"] == "public"

    def walk_module(self, mod, path):
        for i in mod["inner"]["module"]["items"]:
            it = self.item(i)
            if it is None or it["crate_id"] != 0 or it["visibility"] != "public":
                continue
            kind = next(iter(it["inner"]))
            if kind == "use":
                use = it["inner"]["use"]
                target = self.item(use["id"]) if use["id"] is not None else None
                if target is None or use["is_glob"]:
                    self.lines.add(f"pub use {path}::{use['source']}")
                    continue
                self.visit(target, f"{path}::{use['name']}")
            else:
                self.visit(it, f"{path}::{it['name']}")

    def visit(self, it, path):
        kind = next(iter(it["inner"]))
        key = (it["id"], path)
        if key in self.seen:
            return
        self.seen.add(key)
        inner = it["inner"][kind]
        if kind == "module":
            self.lines.add(f"pub mod {path}")
            self.walk_module(it, path)
        elif kind == "function":
            self.lines.add(f"{path}: {signature(it)}")
        elif kind == "struct":
            self.lines.add(f"pub struct {path}")
            k = inner["kind"]
            fields = k.get("plain", {}).get("fields", []) if isinstance(k, dict) else []
            if isinstance(k, dict) and "tuple" in k:
                fields = [f for f in k["tuple"] if f is not None]
            for f in fields:
                fi = self.item(f)
                if self.public(fi):
                    self.lines.add(f"pub struct {path}: field {field_text(fi)}")
            self.impls(inner["impls"], path)
        elif kind == "enum":
            self.lines.add(f"pub enum {path}")
            for v in inner["variants"]:
                vi = self.item(v)
                self.lines.add(f"pub enum {path}: variant {field_text(vi)}")
            self.impls(inner["impls"], path)
        elif kind == "trait":
            self.lines.add(f"pub trait {path}")
            for m in inner["items"]:
                mi = self.item(m)
                if mi is not None and "function" in mi["inner"]:
                    self.lines.add(f"pub trait {path}: {signature(mi)}")
        elif kind in ("constant", "static", "type_alias"):
            self.lines.add(f"{path}: {field_text(it).split(' = ')[0].rstrip(';')}")
        else:
            self.lines.add(f"{kind} {path}")

    def impls(self, ids, path):
        for i in ids:
            imp = self.item(i)
            if imp is None or imp["crate_id"] != 0:
                continue
            body = imp["inner"]["impl"]
            if body.get("trait") is not None or body.get("is_synthetic") or body.get("blanket_impl"):
                continue
            for m in body["items"]:
                mi = self.item(m)
                if self.public(mi) and "function" in mi["inner"]:
                    self.lines.add(f"{path}::{mi['name']}: {signature(mi)}")
                elif self.public(mi) and "assoc_const" in mi["inner"]:
                    self.lines.add(f"{path}::{mi['name']}: {field_text(mi).split(' = ')[0]}")


def listing():
    doc = rustdoc_json()
    lister = Lister(doc)
    root = lister.item(doc["root"])
    lister.walk_module(root, "grapevine")
    head = ("# The public API of the grapevine library, generated by .ci/public_api.py\n"
            "# from rustdoc's JSON: one line per public item. A change here is an API change.\n")
    return head + "".join(line + "\n" for line in sorted(lister.lines))


def main():
    text = listing()
    if "--write" in sys.argv:
        with open(LISTING, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"wrote {LISTING}: {text.count(chr(10)) - 2} items")
    elif "--check" in sys.argv:
        try:
            with open(LISTING, encoding="utf-8") as f:
                old = f.read()
        except FileNotFoundError:
            old = ""
        if old != text:
            sys.stdout.writelines(difflib.unified_diff(
                old.splitlines(True), text.splitlines(True), "docs/public-api.txt", "generated"))
            print("the public API changed: run python3 .ci/public_api.py --write and commit it")
            return 1
        print(f"public API unchanged ({text.count(chr(10)) - 2} items)")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
