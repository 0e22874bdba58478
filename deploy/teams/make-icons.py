#!/usr/bin/env python3
"""Draws Debrief's two Teams icons, color.png and outline.png, beside this script.

Teams wants a 192x192 full-colour icon and a 32x32 outline icon that is white on a transparent background. The
mark is a speech bubble with a check mark in it: "you said how it went". Only the Python standard library is used
(shapes as signed distances, anti-aliased by coverage; PNG written with zlib), so anyone can regenerate the icons
after changing a colour without installing an imaging library. `.ci/check-teams-manifest` checks the result.

Usage: deploy/teams/make-icons.py [OUTPUT_DIR]   (default: the directory of this script)
"""

import math
import os
import struct
import sys
import zlib

# The colour icon's background; keep it equal to "accentColor" in manifest.json.
BACKGROUND = (0x2C, 0x3E, 0x50)
BUBBLE = (0xFF, 0xFF, 0xFF)
CHECK = (0x1A, 0xBC, 0x9C)


def rounded_box(px, py, x0, y0, x1, y1, radius):
    """Signed distance from (px, py) to a rectangle with rounded corners (negative inside)."""
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    hx, hy = (x1 - x0) / 2 - radius, (y1 - y0) / 2 - radius
    qx, qy = abs(px - cx) - hx, abs(py - cy) - hy
    outside = math.hypot(max(qx, 0.0), max(qy, 0.0))
    inside = min(max(qx, qy), 0.0)
    return outside + inside - radius


def segment_distance(px, py, ax, ay, bx, by):
    """Distance from (px, py) to the segment a-b."""
    dx, dy = bx - ax, by - ay
    t = ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)
    t = min(max(t, 0.0), 1.0)
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def polygon(px, py, points):
    """Signed distance from (px, py) to a simple polygon (negative inside)."""
    distance = min(
        segment_distance(px, py, *points[i], *points[(i + 1) % len(points)]) for i in range(len(points))
    )
    inside = False
    for i in range(len(points)):
        (ax, ay), (bx, by) = points[i], points[(i + 1) % len(points)]
        if (ay > py) != (by > py) and px < ax + (py - ay) * (bx - ax) / (by - ay):
            inside = not inside
    return -distance if inside else distance


def polyline(px, py, points, half_width):
    """Signed distance to a stroke of the given half width along points, with round caps and joins."""
    return (
        min(segment_distance(px, py, *points[i], *points[i + 1]) for i in range(len(points) - 1)) - half_width
    )


def coverage(distance):
    """How much of a one-pixel square a shape with this signed distance at its centre covers (0...1)."""
    return min(max(0.5 - distance, 0.0), 1.0)


class Mark:
    """The speech bubble with a check, laid out in a unit square and scaled to a given icon size."""

    def __init__(self, size, margin):
        self.size = size
        self.scale = size - 2 * margin
        self.margin = margin

    def point(self, x, y):
        return (self.margin + x * self.scale, self.margin + y * self.scale)

    def bubble(self, px, py):
        x0, y0 = self.point(0.0, 0.06)
        x1, y1 = self.point(1.0, 0.76)
        body = rounded_box(px, py, x0, y0, x1, y1, 0.2 * self.scale)
        tail = polygon(px, py, [self.point(0.18, 0.70), self.point(0.46, 0.70), self.point(0.14, 0.96)])
        return min(body, tail)

    def check(self, px, py, half_width):
        points = [self.point(0.26, 0.42), self.point(0.43, 0.58), self.point(0.74, 0.25)]
        return polyline(px, py, points, half_width)


def colour_icon(size=192):
    """Full-colour icon: white bubble, green check, on the accent colour (opaque RGB)."""
    mark = Mark(size, margin=size * 0.16)
    rows = []
    for y in range(size):
        row = bytearray()
        for x in range(size):
            px, py = x + 0.5, y + 0.5
            pixel = BACKGROUND
            for colour, distance in (
                (BUBBLE, mark.bubble(px, py)),
                (CHECK, mark.check(px, py, half_width=0.055 * mark.scale)),
            ):
                a = coverage(distance)
                pixel = tuple(round(c * a + p * (1 - a)) for c, p in zip(colour, pixel))
            row += bytes(pixel)
        rows.append(bytes(row))
    return png(size, size, 2, rows)


def outline_icon(size=32):
    """Outline icon: the bubble's outline and the check, white with alpha on a fully transparent background."""
    mark = Mark(size, margin=1.0)
    stroke = 2.0
    rows = []
    for y in range(size):
        row = bytearray()
        for x in range(size):
            px, py = x + 0.5, y + 0.5
            bubble = mark.bubble(px, py)
            ring = abs(bubble + stroke / 2) - stroke / 2
            a = max(coverage(ring), coverage(mark.check(px, py, half_width=stroke * 0.6)))
            alpha = round(255 * a)
            row += bytes((255, 255, 255, alpha)) if alpha else bytes(4)
        rows.append(bytes(row))
    return png(size, size, 6, rows)


def png(width, height, colour_type, rows):
    """A PNG file (8 bits per channel, no interlace, filter 0 on every row)."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    raw = b"".join(b"\x00" + row for row in rows)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    for name, data in (("color.png", colour_icon()), ("outline.png", outline_icon())):
        path = os.path.join(out, name)
        with open(path, "wb") as f:
            f.write(data)
        print(f"wrote {path} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
