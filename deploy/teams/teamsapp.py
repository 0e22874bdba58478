#!/usr/bin/env python3
"""Checks Debrief's Teams app (manifest.json and icons) and builds the zip an administrator uploads to Teams.

Why: Teams rejects an app package with a vague "something went wrong" when the manifest breaks a schema rule,
an icon has the wrong size, or the files are not at the zip's root. This script finds those mistakes first, in
CI and on the operator's machine, and fills in the organisation's own values so the checked-in manifest never
holds one.

  teamsapp.py check
      Validates manifest.json against the vendored official schema (schema/MicrosoftTeams.schema.json, JSON
      Schema draft-04 plus the few newer keywords that schema uses: const, if/then), checks what the schema
      cannot (icon sizes, a transparent white outline, command lists within the bot's scopes, placeholders
      in place), then builds a package with a sample App ID into a temporary directory and checks it too.
      Needs the Python package jsonschema (.ci/check-teams-manifest installs it when missing).

  teamsapp.py package [--version X.Y.Z] [--website URL] [--privacy URL] [--terms URL] [OUTPUT]
      Writes the upload package (manifest.json, color.png, outline.png at the zip's root) to OUTPUT, a file or
      a directory to hold debrief-teams.zip (default: $TMPDIR, else /tmp; never inside the repository). The
      bot's Microsoft App ID comes from MICROSOFT_APP_ID (or MicrosoftAppId, the name the server reads) and
      becomes both the app's "id" and "bots[0].botId". Raise --version each time you upload a changed package,
      or Teams keeps the old one.

Exit codes: 0 fine, 1 a check failed, 2 bad usage or input (the message names the variable or option).
Only the standard library is needed, except jsonschema for "check" (and, when installed, for "package").
"""

import argparse
import io
import json
import os
import re
import struct
import sys
import tempfile
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
REPOSITORY = os.path.dirname(os.path.dirname(HERE))
MANIFEST = os.path.join(HERE, "manifest.json")
SCHEMA = os.path.join(HERE, "schema", "MicrosoftTeams.schema.json")

# The checked-in manifest holds this GUID for "id" and "bots[0].botId"; `package` replaces it with the real App ID.
PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000"
# The checked-in developer URLs use this host; `package` warns while any is left.
PLACEHOLDER_HOST = "debrief.example.com"
# Any valid GUID: what `check` substitutes to prove a package can be built.
SAMPLE_APP_ID = "6f1c2a9e-4b7d-4e15-9a3c-2d8e5f7a1b40"

GUID = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
# The schema's own "semver" definition.
SEMVER = re.compile(r"^([0-9]|[1-9]+[0-9]*)\.([0-9]|[1-9]+[0-9]*)\.([0-9]|[1-9]+[0-9]*)$")
PACKAGE_FILES = ("manifest.json", "color.png", "outline.png")
ICON_SIZES = {"color": (192, 192), "outline": (32, 32)}


class Failure(Exception):
    """A check that failed; the message says what is wrong and where."""


class UsageError(Exception):
    """Bad input from the person running the script; the message names the variable or option."""


# --- PNG -------------------------------------------------------------------------------------------------------


class Png:
    """A decoded 8-bit, non-interlaced PNG as RGBA rows: enough to check an icon, with every chunk's CRC checked."""

    CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}

    def __init__(self, data, name):
        if data[:8] != b"\x89PNG\r\n\x1a\n":
            raise Failure(f"{name}: not a PNG file")
        chunks, offset = [], 8
        while offset < len(data):
            if offset + 8 > len(data):
                raise Failure(f"{name}: truncated PNG chunk header")
            (length,) = struct.unpack(">I", data[offset : offset + 4])
            kind = data[offset + 4 : offset + 8]
            body = data[offset + 8 : offset + 8 + length]
            crc = data[offset + 8 + length : offset + 12 + length]
            if len(body) != length or len(crc) != 4:
                raise Failure(f"{name}: truncated {kind!r} chunk")
            if struct.unpack(">I", crc)[0] != zlib.crc32(kind + body) & 0xFFFFFFFF:
                raise Failure(f"{name}: bad CRC in the {kind!r} chunk")
            chunks.append((kind, body))
            offset += 12 + length
            if kind == b"IEND":
                break
        if not chunks or chunks[0][0] != b"IHDR" or chunks[-1][0] != b"IEND":
            raise Failure(f"{name}: a PNG must start with IHDR and end with IEND")
        self.width, self.height, depth, self.colour_type, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
        if depth != 8 or self.colour_type not in self.CHANNELS:
            raise Failure(f"{name}: use 8 bits per channel (found bit depth {depth}, colour type {self.colour_type})")
        if interlace:
            raise Failure(f"{name}: save the PNG without interlacing (this check reads non-interlaced PNGs only)")
        palette = next((body for kind, body in chunks if kind == b"PLTE"), b"")
        transparency = next((body for kind, body in chunks if kind == b"tRNS"), b"")
        try:
            raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
        except zlib.error as error:
            raise Failure(f"{name}: image data does not decompress ({error})") from None
        channels = self.CHANNELS[self.colour_type]
        stride = self.width * channels
        if len(raw) != self.height * (stride + 1):
            raise Failure(f"{name}: image data has {len(raw)} bytes, expected {self.height * (stride + 1)}")
        self.rows = []
        previous = bytearray(stride)
        for y in range(self.height):
            start = y * (stride + 1)
            row = self._unfilter(raw[start], bytearray(raw[start + 1 : start + 1 + stride]), previous, channels, name)
            self.rows.append(self._rgba(row, palette, transparency, name))
            previous = row

    @staticmethod
    def _unfilter(kind, row, previous, bpp, name):
        for i in range(len(row)):
            left = row[i - bpp] if i >= bpp else 0
            up = previous[i]
            upper_left = previous[i - bpp] if i >= bpp else 0
            if kind == 0:
                predictor = 0
            elif kind == 1:
                predictor = left
            elif kind == 2:
                predictor = up
            elif kind == 3:
                predictor = (left + up) // 2
            elif kind == 4:
                p = left + up - upper_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - upper_left)
                predictor = left if pa <= pb and pa <= pc else up if pb <= pc else upper_left
            else:
                raise Failure(f"{name}: unknown PNG row filter {kind}")
            row[i] = (row[i] + predictor) & 0xFF
        return row

    def _rgba(self, row, palette, transparency, name):
        pixels = []
        if self.colour_type == 6:
            return [tuple(row[i : i + 4]) for i in range(0, len(row), 4)]
        if self.colour_type == 4:
            return [(row[i], row[i], row[i], row[i + 1]) for i in range(0, len(row), 2)]
        if self.colour_type == 2:
            return [tuple(row[i : i + 3]) + (255,) for i in range(0, len(row), 3)]
        if self.colour_type == 0:
            return [(v, v, v, 255) for v in row]
        for index in row:  # colour type 3: palette, alpha from tRNS
            if 3 * index + 3 > len(palette):
                raise Failure(f"{name}: palette index {index} outside the palette")
            alpha = transparency[index] if index < len(transparency) else 255
            pixels.append(tuple(palette[3 * index : 3 * index + 3]) + (alpha,))
        return pixels

    def pixels(self):
        for row in self.rows:
            yield from row


def check_icon(role, data, name):
    """The icon rules Teams enforces: exact size; the outline white on a transparent background."""
    image = Png(data, name)
    expected = ICON_SIZES[role]
    if (image.width, image.height) != expected:
        raise Failure(
            f"{name}: the {role} icon must be {expected[0]}x{expected[1]} pixels, found {image.width}x{image.height}"
        )
    if role == "outline":
        pixels = list(image.pixels())
        coloured = sum(1 for r, g, b, a in pixels if a and (r, g, b) != (255, 255, 255))
        if coloured:
            raise Failure(
                f"{name}: the outline icon may only have white pixels (with any alpha); {coloured} are not white"
            )
        if not any(a == 0 for *_, a in pixels):
            raise Failure(f"{name}: the outline icon needs a transparent background (no pixel has alpha 0)")
        if not any(a == 255 for *_, a in pixels):
            raise Failure(f"{name}: the outline icon has no fully opaque white pixel, so nothing would show")
    return image


# --- Manifest --------------------------------------------------------------------------------------------------


def load_json(data, name):
    try:
        return json.loads(data)
    except ValueError as error:
        raise Failure(f"{name}: not valid JSON ({error})") from None


def schema_validator():
    """The draft-04 validator of the official schema, also enforcing the newer keywords that schema uses.

    The schema declares draft-04 but writes "manifestVersion": {"const": "1.29"} (a draft-06 keyword) and an
    if/then (draft-07); a plain draft-04 validator would silently accept any manifestVersion.
    """
    import jsonschema  # imported here so that `package` works without it

    with open(SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    validator = jsonschema.validators.extend(
        jsonschema.Draft4Validator,
        {
            "const": jsonschema.Draft6Validator.VALIDATORS["const"],
            "if": jsonschema.Draft7Validator.VALIDATORS["if"],
        },
    )
    # Checked against the draft-04 meta-schema without its "format" checks: a few of the schema's patterns use
    # ECMAScript's \p{L}, which Python's re cannot compile (none of them applies to a bot-only manifest).
    jsonschema.Draft4Validator(jsonschema.Draft4Validator.META_SCHEMA).validate(schema)
    return schema, validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def validate_against_schema(manifest, name):
    schema, validator = schema_validator()
    try:
        errors = sorted(validator.iter_errors(manifest), key=lambda e: [str(p) for p in e.absolute_path])
    except re.error as error:
        raise Failure(f"{name}: a field uses a part of the schema whose pattern Python cannot read ({error})") from None
    if errors:
        lines = [f"  {'/'.join(str(p) for p in e.absolute_path) or '(top level)'}: {e.message}" for e in errors]
        raise Failure(f"{name} breaks the Teams manifest schema:\n" + "\n".join(lines))
    version = schema["properties"]["manifestVersion"]["const"]
    expected_url = f"https://developer.microsoft.com/json-schemas/teams/v{version}/MicrosoftTeams.schema.json"
    if manifest.get("$schema") != expected_url:
        raise Failure(f'{name}: "$schema" must be {expected_url} (the vendored schema is v{version})')


def check_rules_beyond_schema(manifest, name):
    """What the schema cannot say: the bot's command lists stay within its scopes, titles are unique."""
    bots = manifest.get("bots") or []
    if len(bots) != 1:
        raise Failure(f"{name}: Debrief is one bot, so \"bots\" must have exactly one entry")
    bot = bots[0]
    if manifest.get("id") != bot.get("botId"):
        raise Failure(f'{name}: "id" and "bots[0].botId" must be the same App ID (package substitutes both)')
    for required in ("personal", "team"):
        if required not in bot.get("scopes", []):
            raise Failure(f'{name}: the bot needs the "{required}" scope (nudges go to people, digests to channels)')
    for index, command_list in enumerate(bot.get("commandLists", [])):
        outside = set(command_list["scopes"]) - set(bot["scopes"])
        if outside:
            raise Failure(f"{name}: commandLists[{index}] names scopes the bot does not have: {sorted(outside)}")
        titles = [command["title"] for command in command_list["commands"]]
        if len(titles) != len(set(titles)):
            raise Failure(f"{name}: commandLists[{index}] repeats a command title: {titles}")
    for role, path in manifest["icons"].items():
        if role not in ICON_SIZES:
            raise Failure(f"{name}: icons.{role} is not packaged; only {sorted(ICON_SIZES)} are")
        if path != f"{role}.png":
            raise Failure(f'{name}: icons.{role} must be "{role}.png" (the file at the zip\'s root)')


def check_checked_in_manifest():
    """The repository's manifest: valid, and holding placeholders, never an organisation's App ID."""
    with open(MANIFEST, "rb") as f:
        manifest = load_json(f.read(), "deploy/teams/manifest.json")
    name = "deploy/teams/manifest.json"
    validate_against_schema(manifest, name)
    check_rules_beyond_schema(manifest, name)
    if manifest["id"] != PLACEHOLDER_ID:
        raise Failure(
            f'{name}: "id" and "bots[0].botId" must stay {PLACEHOLDER_ID}; package.sh fills in the real App ID'
        )
    for role in ICON_SIZES:
        with open(os.path.join(HERE, f"{role}.png"), "rb") as f:
            check_icon(role, f.read(), f"deploy/teams/{role}.png")
    return manifest


# --- Package ---------------------------------------------------------------------------------------------------


def app_id_from_environment(environment):
    """The bot's Microsoft App ID from MICROSOFT_APP_ID or MicrosoftAppId, checked to be a real GUID."""
    values = {
        name: environment[name].strip()
        for name in ("MICROSOFT_APP_ID", "MicrosoftAppId")
        if environment.get(name, "").strip()
    }
    if not values:
        raise UsageError(
            "set MICROSOFT_APP_ID (or MicrosoftAppId) to the Azure Bot's Microsoft App ID, "
            "a GUID like 6f1c2a9e-4b7d-4e15-9a3c-2d8e5f7a1b40 (Azure portal: the bot's Configuration page)"
        )
    if len({value.lower() for value in values.values()}) > 1:
        raise UsageError("MICROSOFT_APP_ID and MicrosoftAppId are both set and differ; unset one of them")
    source, value = next(iter(values.items()))
    # The value is not echoed: someone may have pasted the client secret into the wrong variable.
    if not GUID.match(value):
        raise UsageError(
            f"{source} must be a GUID like 6f1c2a9e-4b7d-4e15-9a3c-2d8e5f7a1b40 (8-4-4-4-12 hex digits); "
            f"the value given ({len(value)} characters) is not one. Is it the client secret instead of the App ID?"
        )
    if value == PLACEHOLDER_ID:
        raise UsageError(f"{source} is the manifest's placeholder {PLACEHOLDER_ID}, not the bot's App ID")
    return value.lower()


def https_url(option, value):
    if not value.lower().startswith("https://") or len(value) > 2048 or any(c.isspace() for c in value):
        raise UsageError(f"{option} must be an https:// URL of at most 2048 characters without spaces")
    return value


def build_manifest(template, app_id, version=None, urls=None):
    """The manifest for one organisation: its App ID in "id" and "botId", optionally a new version and URLs."""
    manifest = json.loads(json.dumps(template))
    if manifest["id"] != PLACEHOLDER_ID or manifest["bots"][0]["botId"] != PLACEHOLDER_ID:
        raise Failure(f'deploy/teams/manifest.json: "id" and "bots[0].botId" must be {PLACEHOLDER_ID} to be filled in')
    manifest["id"] = app_id
    manifest["bots"][0]["botId"] = app_id
    if version is not None:
        if not SEMVER.match(version):
            raise UsageError(f"--version must be MAJOR.MINOR.PATCH digits like 1.0.1, found {version!r}")
        manifest["version"] = version
    for field, value in (urls or {}).items():
        if value is not None:
            manifest["developer"][field] = value
    return manifest


def package_bytes(manifest):
    """The zip Teams accepts: the three files at its root, with fixed timestamps so equal input gives equal bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in PACKAGE_FILES:
            if name == "manifest.json":
                data = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
            else:
                with open(os.path.join(HERE, name), "rb") as f:
                    data = f.read()
            entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, data)
    return buffer.getvalue()


def check_package(data, app_id, validate_schema=True):
    """Reads a built package back the way Teams does and checks every rule again."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise Failure("the package is not a valid zip file") from None
    with archive:
        names = archive.namelist()
        if sorted(names) != sorted(PACKAGE_FILES):
            raise Failure(f"the package must hold exactly {list(PACKAGE_FILES)} at its root, found {names}")
        manifest = load_json(archive.read("manifest.json"), "manifest.json in the package")
        if validate_schema:
            validate_against_schema(manifest, "manifest.json in the package")
        check_rules_beyond_schema(manifest, "manifest.json in the package")
        if manifest["id"] != app_id:
            raise Failure('manifest.json in the package: "id"/"botId" is not the App ID given')
        for role in ICON_SIZES:
            check_icon(role, archive.read(manifest["icons"][role]), f"{role}.png in the package")
    return manifest


def inside_repository(path):
    """Whether path lies in Debrief's source tree (recognised by its Package.swift), where no package belongs."""
    if not os.path.isfile(os.path.join(REPOSITORY, "Package.swift")):
        return False
    real = os.path.realpath(path)
    return os.path.commonpath([real, os.path.realpath(REPOSITORY)]) == os.path.realpath(REPOSITORY)


def write_atomically(path, data):
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise UsageError(f"the output directory {directory} does not exist")
    handle, temporary = tempfile.mkstemp(prefix=".debrief-teams-", suffix=".zip", dir=directory)
    try:
        with os.fdopen(handle, "wb") as f:
            f.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def jsonschema_available():
    try:
        import jsonschema  # noqa: F401
    except ImportError:
        return False
    return True


# --- Commands --------------------------------------------------------------------------------------------------


def command_check(_arguments):
    if not jsonschema_available():
        raise UsageError("check needs the Python package jsonschema: run .ci/check-teams-manifest, which installs it")
    template = check_checked_in_manifest()
    print(f"deploy/teams/manifest.json: valid against the Teams manifest schema v{template['manifestVersion']}")
    print("deploy/teams/color.png 192x192, deploy/teams/outline.png 32x32 white on transparent: ok")
    urls = {"privacyUrl": "https://intranet.example.org/privacy"}
    manifest = build_manifest(template, SAMPLE_APP_ID, version="1.0.1", urls=urls)
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "debrief-teams.zip")
        write_atomically(path, package_bytes(manifest))
        with open(path, "rb") as f:
            check_package(f.read(), SAMPLE_APP_ID)
    print("a package built with a sample App ID holds manifest.json, color.png, outline.png at its root; valid")
    return 0


def command_package(arguments):
    app_id = app_id_from_environment(os.environ)
    urls = {
        "websiteUrl": arguments.website and https_url("--website", arguments.website),
        "privacyUrl": arguments.privacy and https_url("--privacy", arguments.privacy),
        "termsOfUseUrl": arguments.terms and https_url("--terms", arguments.terms),
    }
    output = arguments.output or tempfile.gettempdir()
    if os.path.isdir(output):
        output = os.path.join(output, "debrief-teams.zip")
    if inside_repository(output):
        raise UsageError(
            f"{output} is inside the repository; write the package elsewhere "
            f"(default: {os.path.join(tempfile.gettempdir(), 'debrief-teams.zip')})"
        )
    with open(MANIFEST, "rb") as f:
        template = load_json(f.read(), "deploy/teams/manifest.json")
    manifest = build_manifest(template, app_id, arguments.version, urls)
    data = package_bytes(manifest)
    validate_schema = jsonschema_available()
    check_package(data, app_id, validate_schema=validate_schema)
    write_atomically(output, data)
    print(f"wrote {output}: manifest.json (app and bot id {app_id}, version {manifest['version']}), the two icons")
    if not validate_schema:
        print("note: the Python package jsonschema is not installed, so the schema check was skipped here "
              "(CI checks the repository's manifest; `pip install jsonschema` to check this package too)")
    leftover = [field for field, value in manifest["developer"].items() if PLACEHOLDER_HOST in str(value)]
    if leftover:
        print(f"warning: developer {', '.join(leftover)} still point at {PLACEHOLDER_HOST}; "
              "pass --website/--privacy/--terms with your organisation's pages before publishing org-wide")
    print(
        "upload it in Teams (Apps > Manage your apps > Upload an app) "
        "or in the Teams admin center (Teams apps > Manage apps > Upload new app)"
    )
    return 0


def main(argv):
    parser = argparse.ArgumentParser(prog="teamsapp.py", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="validate manifest.json, the icons and a sample package")
    package = commands.add_parser("package", help="build the upload zip for this organisation's bot")
    package.add_argument("--version", help="the app version, MAJOR.MINOR.PATCH; raise it for every re-upload")
    package.add_argument("--website", help="developer.websiteUrl (https://)")
    package.add_argument("--privacy", help="developer.privacyUrl (https://)")
    package.add_argument("--terms", help="developer.termsOfUseUrl (https://)")
    package.add_argument(
        "output", nargs="?", help="the zip file, or a directory for debrief-teams.zip (default: $TMPDIR)"
    )
    arguments = parser.parse_args(argv)
    try:
        return {"check": command_check, "package": command_package}[arguments.command](arguments)
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except Failure as error:
        print(f"FAILED: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
