#!/usr/bin/env bash
# Regenerates speech.wav, the speech clip of the audio front-end's accuracy tests:
# espeak-ng (Debian package espeak-ng) speaking one sentence, 16-bit mono at its
# native 22050 Hz (the tests resample it to 16 kHz with the front-end's resampler).
#
#   tests/modalities/audio/testdata/make_speech_clip.sh
set -euo pipefail
cd "$(dirname "$0")"
command -v espeak-ng >/dev/null || { echo "make_speech_clip: install espeak-ng (apt-get install espeak-ng)" >&2; exit 1; }
espeak-ng -v en-us -s 190 -p 45 -w speech.wav "Where is that sound?"
ls -l speech.wav
