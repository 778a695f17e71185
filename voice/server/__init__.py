"""The network edge: HTTP routes, the static web page, and the check-in websocket.

``edge`` decides who may reach the server (bind address, Host, Origin, local clients) and
the headers every answer carries; ``connection`` runs one websocket (admission, hello,
authentication, pacing, errors, close codes) around a ``voice.session.CheckinSession``;
``pace`` and ``limits`` are its clock-free limits; ``recording`` keeps the check-in as it
happens (through ``voice.records``, under the person's consent); ``signin`` signs
therapists in and out; ``person_api`` is the person's own space under ``/api/v1/my`` and
``therapist_api`` the listening room's under ``/api/v1/people`` (both through
``records_http``; ``ranges`` serves a recording by byte range); ``api_schema`` describes
what the API answers for its OpenAPI document and ``api_errors`` how it says no;
``app`` builds the FastAPI app; ``run`` serves it under uvicorn (TLS included).

May import: voice.errors, voice.settings, voice.assets, voice.audio, voice.protocol,
voice.prosody, voice.dialogue, voice.safety, voice.engines, voice.session, voice.db,
voice.accounts, voice.records.
"""
