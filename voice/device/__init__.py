"""The headless home device: a check-in on the machine's own microphone and speaker.

``checkin`` runs one check-in over protocol v1 (the reference client's connection):
microphone frames out, the reply played as it arrives; ``sound`` holds the microphones
and speakers (PortAudio through ``sounddevice``, or WAV files for tests and people without
hardware); ``echo`` takes the device's own voice out of its microphone; ``feedback`` says
every state a person cannot see (earcons, and a few phrases in the local voice);
``reminder`` and ``retry`` are the clock-free cores of the daily reminder and of
reconnecting; ``triggers`` waits for a key, a button or the reminder; ``run`` is
``voice device``.

May import: voice.errors, voice.settings, voice.audio, voice.client, voice.engines.
"""
