// The check-in websocket (protocol v1, docs/protocol.md): hello, messages, audio,
// reconnection with backoff, and liveness: a deadline to connect, one for `ready`, a
// heartbeat that notices a stalled link, and one for `bye` after End. No DOM: the page
// listens through the callbacks.

export const PROTOCOL_VERSION = 1;
export const CHECKIN_PATH = "/v1/checkin";
export const INPUT_RATE_HZ = 16000;

const MAX_BUFFERED_BYTES = 512 * 1024; // beyond this the link is stalled: drop mic frames

/** How long each wait may last before the page gives up on it (milliseconds). */
export const LIVENESS = {
  connectMs: 10000, // the socket opens
  readyMs: 20000, // `ready` answers `hello` (a server starting its models may take a while)
  pingMs: 10000, // a `ping` is sent this often while connected
  stallMs: 25000, // nothing heard (not even a `pong`) for this long: the link is stalled
  byeMs: 5000, // `bye` answers `end`
};

/** The websocket URL of the server that served this page. */
export function checkinUrl(location) {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}${CHECKIN_PATH}`;
}

/** Wait before reconnect attempt `attempt` (0, 1, ...): 1, 2, 4, ... 30 s, +/- 20 %. */
export function backoffDelayMs(attempt, random = Math.random) {
  const base = Math.min(30000, 1000 * 2 ** Math.min(attempt, 5));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * One check-in, kept connected. Call `start()`, then `sendAudio` / `send` while
 * `ready`, and `end()` to finish. `onState` receives {state, ...}:
 *   connecting                 opening the socket (attempt n)
 *   ready                      hello answered; a new server session (turns restart at 0)
 *   ready {resources}          ... with the server's help lines ([] from older servers)
 *   retrying {reason, inMs}    lost or refused; reason: unreachable | lost | busy |
 *                              starting | server_error | no_answer (no `ready` in time) |
 *                              stalled (nothing heard, or nothing sent, for `stallMs`);
 *                              trying again in `inMs`
 *   ended {reason}             bye | idle | closed: finished, no retry
 *   failed {reason, code}      rejected: the server refused this client (close 1008 or
 *                              1009; `code` is the last error code, e.g. unauthorized); no retry
 *
 * `token` (a pairing token, or null), `user` and `cues` (whether the person wants voice
 * notes, or null) go in every hello, reconnects included.
 * `consent` (a choice of what is kept, or null) goes in each hello until a `ready` that
 * reports the consent in force: the server has recorded it then.
 */
export class CheckinConnection {
  constructor({
    url,
    user = null,
    token = null,
    consent = null,
    cues = null,
    onState,
    onMessage,
    onAudio,
    onSent = () => {},
    liveness = LIVENESS,
  }) {
    this.url = url;
    this.user = user;
    this.token = token;
    this.consent = consent;
    this.cues = cues;
    this.onState = onState;
    this.onMessage = onMessage;
    this.onAudio = onAudio;
    this.onSent = onSent;
    this.socket = null;
    this.ready = false;
    this.attempt = 0;
    this.timer = null;
    this.finished = false;
    this.ending = false;
    this.liveness = liveness;
    this.watch = null; // the deadline or heartbeat timer of the current socket
  }

  start() {
    this.finished = false;
    this.ending = false;
    this.attempt = 0;
    this._connect();
  }

  /** Reconnect at once instead of waiting out the backoff. */
  retryNow() {
    if (this.timer !== null && !this.finished) {
      clearTimeout(this.timer);
      this.timer = null;
      this._connect();
    }
  }

  /** Send a client message (an object with `type`); false when not connected. */
  send(message) {
    if (!this.ready || this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(message));
    this.onSent(message.type);
    return true;
  }

  /** Send a frame of 16 kHz 16-bit mono microphone audio; dropped when not connected. */
  sendAudio(pcm) {
    const socket = this.socket;
    if (!this.ready || socket.readyState !== WebSocket.OPEN) return false;
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) return false;
    socket.send(pcm);
    return true;
  }

  /** Finish the check-in: `end`, then the server says `bye` and closes (or, after
   * `byeMs` without it, the page closes and finishes anyway). */
  end() {
    this.ending = true;
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this._unwatch();
    if (!this.send({ type: "end" })) {
      this._finish("ended", { reason: "closed" });
      if (this.socket) this.socket.close(1000);
      return;
    }
    const socket = this.socket;
    this.watch = setTimeout(() => {
      this._finish("ended", { reason: "closed" });
      socket.close(1000);
    }, this.liveness.byeMs);
  }

  /** End the check-in like `end()`, and report nothing more about it (signing out). */
  detach() {
    const quiet = () => {};
    this.onState = quiet;
    this.onMessage = quiet;
    this.onAudio = quiet;
    this.onSent = quiet;
    this.end();
  }

  _connect() {
    this.timer = null;
    this.ready = false;
    this.onState({ state: "connecting", attempt: this.attempt });
    let socket;
    try {
      socket = new WebSocket(this.url);
    } catch {
      this._retry("unreachable");
      return;
    }
    socket.binaryType = "arraybuffer";
    this.socket = socket;
    let opened = false;
    let lastError = null;
    let byeReceived = false;
    let heardAt = Date.now();
    // Give up on a socket that neither opens nor answers, and retry.
    const giveUp = (reason) => {
      if (socket !== this.socket || this.finished) return;
      this.socket = null;
      this.ready = false;
      socket.close(4000);
      this._retry(reason);
    };
    this._unwatch();
    this.watch = setTimeout(() => giveUp("unreachable"), this.liveness.connectMs);

    socket.onopen = () => {
      opened = true;
      this._unwatch();
      this.watch = setTimeout(() => giveUp("no_answer"), this.liveness.readyMs);
      const hello = {
        type: "hello",
        protocol: PROTOCOL_VERSION,
        audio: { encoding: "pcm_s16le", sample_rate: INPUT_RATE_HZ, channels: 1 },
      };
      if (this.user) hello.user = this.user;
      if (this.token) hello.token = this.token;
      if (this.consent) hello.consent = this.consent;
      if (typeof this.cues === "boolean") hello.cues = this.cues;
      socket.send(JSON.stringify(hello));
      this.onSent("hello");
    };

    socket.onmessage = (event) => {
      if (socket !== this.socket) return;
      heardAt = Date.now();
      if (typeof event.data !== "string") {
        this.onAudio(event.data);
        return;
      }
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return; // not ours to fix; the protocol says ignore what we do not understand
      }
      if (!message || typeof message.type !== "string") return;
      if (message.type === "ready") {
        this.ready = true;
        this.attempt = 0;
        if (message.consent && typeof message.consent === "object") this.consent = null;
        this._heartbeat(socket, () => heardAt, giveUp);
        const resources = Array.isArray(message.resources) ? message.resources : [];
        this.onState({ state: "ready", sessionId: message.session_id, resources });
      } else if (message.type === "error") {
        lastError = message.code;
      } else if (message.type === "bye") {
        byeReceived = true;
      }
      this.onMessage(message);
    };

    socket.onclose = (event) => {
      if (socket !== this.socket) return;
      this.ready = false;
      this._unwatch();
      if (this.finished) return;
      if (byeReceived || this.ending) {
        this._finish("ended", { reason: "bye" });
      } else if (!opened) {
        this._retry("unreachable");
      } else if (event.code === 1000) {
        this._finish("ended", { reason: lastError === "timeout" ? "idle" : "closed" });
      } else if (event.code === 1008 || event.code === 1009) {
        this._finish("failed", { reason: "rejected", code: lastError });
      } else if (lastError === "overloaded") {
        this._retry("busy");
      } else if (lastError === "not_ready") {
        this._retry("starting");
      } else if (lastError !== null || event.code === 1011) {
        this._retry("server_error");
      } else {
        this._retry("lost");
      }
    };
  }

  /** While connected: a `ping` every `pingMs`; a link that has carried nothing back for
   * `stallMs`, or has not drained what the page sent for as long, is given up. */
  _heartbeat(socket, heardAt, giveUp) {
    this._unwatch();
    let id = 0;
    let blockedSince = null;
    this.watch = setInterval(() => {
      if (socket !== this.socket || !this.ready) return;
      const now = Date.now();
      blockedSince = socket.bufferedAmount > MAX_BUFFERED_BYTES ? (blockedSince ?? now) : null;
      const silent = now - heardAt() > this.liveness.stallMs;
      const blocked = blockedSince !== null && now - blockedSince > this.liveness.stallMs;
      if (silent || blocked) {
        giveUp("stalled");
        return;
      }
      id = (id + 1) % 2 ** 31;
      socket.send(JSON.stringify({ type: "ping", id }));
    }, this.liveness.pingMs);
  }

  _unwatch() {
    if (this.watch !== null) {
      clearTimeout(this.watch);
      clearInterval(this.watch);
      this.watch = null;
    }
  }

  _retry(reason) {
    if (this.finished) return;
    if (this.ending) {
      this._finish("ended", { reason: "closed" });
      return;
    }
    const inMs = backoffDelayMs(this.attempt++);
    this.onState({ state: "retrying", reason, inMs, attempt: this.attempt });
    this.timer = setTimeout(() => this._connect(), inMs);
  }

  _finish(state, detail) {
    if (this.finished) return;
    this.finished = true;
    this.ready = false;
    this._unwatch();
    this.onState({ state, ...detail });
  }
}
