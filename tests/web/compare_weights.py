"""Compares two outputs of web/train_preset (one float's bits in hex per line,
then "loss L"): prints how many weights are bit-identical and the largest
difference relative to the largest weight; exit 1 above TOLERANCE.

usage: compare_weights.py A B TOLERANCE
"""
import struct
import sys


def weights(path):
    with open(path) as f:
        return [struct.unpack(">f", bytes.fromhex(line.strip()))[0] for line in f if not line.startswith("loss")]


def main():
    a, b, tolerance = weights(sys.argv[1]), weights(sys.argv[2]), float(sys.argv[3])
    if len(a) != len(b) or not a:
        print(f"{len(a)} weights against {len(b)}")
        return 1
    scale = max(abs(x) for x in b)
    worst = max(abs(x - y) for x, y in zip(a, b)) / scale
    same = sum(struct.pack(">f", x) == struct.pack(">f", y) for x, y in zip(a, b))
    print(f"{same} of {len(a)} weights bit-identical; largest difference {worst:.3g} of the largest weight "
          f"(tolerance {tolerance:g})")
    return 0 if worst <= tolerance else 1


if __name__ == "__main__":
    sys.exit(main())
