"""Check a case's proven export (``inspections audit export``) against the log's public key, with no project code.

Needs Python 3.11 and the ``cryptography`` package only:

    python3 verify_export.py case.jsonl --public-key 'skolinspektionen.example/inspections/log+1a2b3c4d+AXx…'

The export is JSON Lines: one line per event, oldest first, then ``{"checkpoint": "<signed note>"}``.
Checked: the checkpoint's Ed25519 signature (C2SP signed note) with the public key; each event's
SHA-256 over its canonical JSON; that seqs run 1, 2, 3… and each ``prev_hash`` is the hash before;
and that each event's leaf, SHA-256(0x00 || hash), is in the checkpoint's RFC 6962 Merkle tree at its
``log_index`` (its ``inclusion_proof``). Exit 0 when all holds, 1 naming the first thing that does not
(or an export or key it cannot read). What it prints is Swedish, for the recipient who runs it: an event
is named by its case and löpnummer (seq), as ``inspections audit verify`` names it.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

KEYS = ("case_id", "seq", "event_id", "type", "occurred_on", "recorded_at", "actor", "data", "prev_hash")


class Broken(Exception):
    """What does not hold."""


def open_checkpoint(note: str, vkey: str) -> tuple[str, int, bytes]:
    """(origin, tree size, root hash) of a checkpoint note signed by the key ``vkey`` = name+id+base64(0x01||key)."""
    name, key_id_hex, encoded = vkey.strip().split("+", 2)
    key = base64.b64decode(encoded, validate=True)
    key_id = hashlib.sha256(name.encode() + b"\n" + key).digest()[:4]
    if key[:1] != b"\x01" or len(key) != 33 or key_id.hex() != key_id_hex.lower():
        raise Broken("den publika nyckeln är inte en Ed25519-nyckel som hör till sitt namn")
    cut = note.rfind("\n\n")
    text, signature_lines = note[: cut + 1], note[cut + 2 :].splitlines()
    signed = False
    for line in signature_lines:
        signer, _, sig = line.removeprefix("\u2014 ").partition(" ")
        raw = base64.b64decode(sig, validate=True)
        if line.startswith("\u2014 ") and signer == name and raw[:4] == key_id:
            try:
                Ed25519PublicKey.from_public_bytes(key[1:]).verify(raw[4:], text.encode("utf-8"))
            except InvalidSignature:
                raise Broken("kontrollpunktens signatur stämmer inte: kontrollpunkten har ändrats") from None
            signed = True
    if not signed:
        raise Broken(f"kontrollpunkten är inte signerad med nyckeln {name}")
    origin, size, root = text.split("\n")[:3]
    if origin != name:
        raise Broken(f"kontrollpunkten gäller loggen {origin!r}, inte {name!r}")
    return origin, int(size), base64.b64decode(root, validate=True)


def node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def root_from_proof(index: int, size: int, leaf: bytes, proof: list[bytes]) -> bytes:
    """RFC 9162 section 2.1.3.2: the root an inclusion proof leads to."""
    if not 0 <= index < size:
        raise Broken(f"plats {index} finns inte i en logg med {size} händelser")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise Broken("ett bevis för att händelsen ingår i loggen är för långt")
        if fn & 1 or fn == sn:
            r = node(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise Broken("ett bevis för att händelsen ingår i loggen är för kort")
    return r


def check(path: str, vkey: str) -> str:
    """Check the export; what it proves, or Broken."""
    with open(path, encoding="utf-8") as f:
        lines = [json.loads(line) for line in f if line.strip()]
    if not lines or "checkpoint" not in lines[-1]:
        raise Broken("exporten slutar inte med sin kontrollpunkt")
    origin, size, root = open_checkpoint(lines[-1]["checkpoint"], vkey)
    seq, prev, unproven = 0, "0" * 64, 0
    for e in lines[:-1]:
        where = f"ärende {e['case_id']}, löpnummer {e['seq']}"
        canonical = json.dumps({k: e[k] for k in KEYS}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        if hashlib.sha256(canonical.encode("utf-8")).hexdigest() != e["hash"]:
            raise Broken(f"{where}: kontrollsumman stämmer inte med händelsen: den har ändrats")
        if (e["seq"], e["prev_hash"]) != (seq + 1, prev):
            raise Broken(f"{where}: följer inte på löpnummer {seq}: en händelse saknas eller ligger i fel ordning")
        seq, prev = e["seq"], e["hash"]
        if e["inclusion_proof"] is None:
            unproven += 1
            continue
        leaf = hashlib.sha256(b"\x00" + bytes.fromhex(e["hash"])).digest()
        proof = [base64.b64decode(h, validate=True) for h in e["inclusion_proof"]]
        if root_from_proof(e["log_index"], size, leaf, proof) != root:
            raise Broken(f"{where}: finns inte i den signerade loggen på plats {e['log_index']}")
    note = f"; {unproven} senare händelser ingår ännu inte i någon kontrollpunkt" if unproven else ""
    return f"Exporten håller: {seq} händelser, kedjade, i loggen {origin} med {size} händelser enligt signaturen{note}"


def main() -> None:
    """Parse the arguments, check, print; exit 1 when the export does not hold."""
    parser = argparse.ArgumentParser(
        description="Kontrollera ett ärendes export (inspections audit export) mot loggens publika nyckel."
    )
    parser.add_argument("export", help="den exporterade filen (JSON Lines)")
    parser.add_argument("--public-key", required=True, help="loggens publika nyckel: <namn>+<nyckel-id>+<base64>")
    args = parser.parse_args()
    try:
        print(check(args.export, args.public_key))
        return
    except Broken as error:
        told = f"HÅLLER INTE: {error}"
    except OSError as error:
        told = f"Kan inte läsa {args.export} ({error.strerror or error})."
    except KeyError as error:
        told = f"Exporten går inte att läsa: en rad saknar fältet {error}."
    except (ValueError, TypeError) as error:  # not JSON, not base64, a key without its three parts
        told = f"Exporten eller den publika nyckeln går inte att läsa ({error})."
    print(told, file=sys.stderr)  # the export does not hold, or cannot be read
    sys.exit(1)


if __name__ == "__main__":
    main()
