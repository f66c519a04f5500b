#!/bin/sh
# Rebuilds ../motd/dojo-motd_1.0_all.deb, the package that the
# dockerfiles/apt-get exercise seeds into the learner's workspace, and
# its copy ../small/dojo-motd_1.0_all.deb for dockerfiles/multi-stage.
# Needs dpkg-deb. This folder starts with "_", so it is neither
# embedded in dockdojo nor read as a lesson.
set -eu
cd "$(dirname "$0")"
chmod 755 pkg/usr/bin/dojo-motd
# A fixed timestamp, so the same sources give the same file.
SOURCE_DATE_EPOCH=1704067200 dpkg-deb --root-owner-group -Zgzip \
	--build pkg ../motd/dojo-motd_1.0_all.deb
cp ../motd/dojo-motd_1.0_all.deb ../small/dojo-motd_1.0_all.deb
