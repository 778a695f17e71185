// The check-in websocket (protocol v1, docs/protocol.md): hello, messages, audio, and
// reconnection with backoff. No DOM: the page listens through the callbacks.

export const PROTOCOL_VERSION = 1;
export const CHECKIN_PATH = "/v1/checkin";
export const INPUT_RATE_HZ = 16000;

const MAX_BUFFERED_BYTES = 512 * 1024; // beyond this the link is stalled: drop mic frames

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
 *   retrying {reason, inMs}    lost or refused; reason: unreachable | lost | busy |
 *                              starting | server_error; trying again in `inMs`
 *   ended {reason}             bye | idle | closed: finished, no retry
 *   failed {reason, code}      rejected: the server refused this client (close 1008 or
 *                              1009; `code` is the last error code, e.g. unauthorized); no retry
 *
 * `token` (a pairing token, or null) and `user` go in every hello, reconnects included.
 * `consent` (a choice of what is kept, or null) goes in each hello until a `ready` that
 * reports the consent in force: the server has recorded it then.
 */
export class CheckinConnection {
  constructor({
    url,
    user = null,
    token = null,
    consent = null,
    onState,
    onMessage,
    onAudio,
    onSent = () => {},
  }) {
    this.url = url;
    this.user = user;
    this.token = token;
    this.consent = consent;
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

  /** Finish the check-in: `end`, then the server says `bye` and closes. */
  end() {
    this.ending = true;
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (!this.send({ type: "end" })) {
      this._finish("ended", { reason: "closed" });
      if (this.socket) this.socket.close(1000);
    }
  }

  /** End the check-in like `end()`, and report nothing more about it (signing out). */
  detach() {
    const quiet = () => {};
    this.onState = quiet;
    this.onMessage = quiet;
    this.onAudio = quiet;
    this.onSent = quiet;
    this.end();
    // The server answers `end` with `bye` and closes; don't wait for it for long.
    const socket = this.socket;
    if (socket) setTimeout(() => socket.close(1000), 5000);
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

    socket.onopen = () => {
      opened = true;
      const hello = {
        type: "hello",
        protocol: PROTOCOL_VERSION,
        audio: { encoding: "pcm_s16le", sample_rate: INPUT_RATE_HZ, channels: 1 },
      };
      if (this.user) hello.user = this.user;
      if (this.token) hello.token = this.token;
      if (this.consent) hello.consent = this.consent;
      socket.send(JSON.stringify(hello));
      this.onSent("hello");
    };

    socket.onmessage = (event) => {
      if (socket !== this.socket) return;
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
        this.onState({ state: "ready", sessionId: message.session_id });
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
    this.onState({ state, ...detail });
  }
}
