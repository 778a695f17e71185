"""Audio in: PCM and WAV basics, resampling, the speech detector and the endpointer.

``pcm`` converts and measures; ``resample`` changes rates (soxr); ``vad`` says whether a
30 ms frame is speech; ``endpointer`` is the clock-free state machine that turns those
verdicts into turn starts and ends. Nothing here knows about sessions or models.

May import: voice.errors.
"""
