#!/usr/bin/env bash
# Builds debrief-teams.zip, the app package an administrator uploads to Teams: manifest.json (with this
# organisation's bot App ID), color.png and outline.png at the zip's root. Needs python3 (standard library).
#
#   MICROSOFT_APP_ID=<the Azure Bot's Microsoft App ID> deploy/teams/package.sh [--version 1.0.1] \
#       [--website https://…] [--privacy https://…] [--terms https://…] [OUTPUT]
#
# MicrosoftAppId (the variable the server reads) works as well. OUTPUT is the zip file or a directory for
# debrief-teams.zip; the default is $TMPDIR (/tmp when unset). The script refuses to write into the repository.
# Details: deploy/teams/teamsapp.py.
set -euo pipefail
exec python3 "$(dirname "$0")/teamsapp.py" package "$@"
