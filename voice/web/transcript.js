// The conversation as captions: one list item per turn and speaker, keyed by turn.

/**
 * Renders turns into an <ol> inside a role="log" region. Partial captions and a reply
 * still being written are shown but hidden from screen readers until final, so they are
 * announced once, whole. Call `newSession()` after a reconnect (the server restarts turns at 0).
 */
export class Transcript {
  constructor(list, scroller = list) {
    this.list = list;
    this.scroller = scroller;
    this.session = 0;
    this.users = new Map();
    this.assistants = new Map();
  }

  newSession() {
    this.session += 1;
    this.users = new Map();
    this.assistants = new Map();
  }

  /** Remove every caption (signing out on a shared device leaves none of them behind). */
  clear() {
    this.newSession();
    this.list.replaceChildren();
  }

  /**
   * The connection went or the check-in ended: captions still being written will not be
   * finished. Each one with words is kept as it is, marked as cut off; empty ones go.
   */
  settle() {
    for (const item of [...this.users.values(), ...this.assistants.values()]) {
      if (!item.classList.contains("pending")) continue;
      if (!item.querySelector(".words").textContent.trim()) {
        item.remove();
        continue;
      }
      item.classList.remove("pending");
      item.classList.add("interrupted");
      item.removeAttribute("aria-hidden");
      const mark = document.createElement("span");
      mark.className = "mark";
      mark.textContent = "cut off";
      item.append(mark);
    }
    this.newSession();
  }

  /** A quiet line between conversations ("Reconnected", "Check-in ended"). */
  note(text) {
    const item = document.createElement("li");
    item.className = "note";
    item.textContent = text;
    this._append(item);
  }

  userPartial(turn, text) {
    const item = this._user(turn);
    if (item.dataset.testid === "user-turn") return; // already final
    this._follow(() => {
      item.querySelector(".words").textContent = text;
    });
  }

  userFinal(turn, text) {
    if (!text.trim()) {
      this.userDiscard(turn);
      return;
    }
    const item = this._user(turn);
    this._follow(() => {
      item.classList.remove("pending");
      item.removeAttribute("aria-hidden");
      item.dataset.testid = "user-turn";
      item.querySelector(".words").textContent = text;
    });
  }

  /** Speech that turned out to be nothing (a cough, a door): remove its caption. */
  userDiscard(turn) {
    const item = this.users.get(turn);
    if (item && item.dataset.testid !== "user-turn") {
      item.remove();
      this.users.delete(turn);
    }
  }

  replyDelta(turn, text) {
    const item = this._assistant(turn);
    if (item.dataset.testid === "assistant-turn") return;
    this._follow(() => {
      item.querySelector(".words").textContent += text;
    });
  }

  replyFinal(turn, text, interrupted) {
    if (!text.trim()) {
      // Interrupted before a word was written: nothing to show.
      this.assistants.get(turn)?.remove();
      this.assistants.delete(turn);
      return;
    }
    const item = this._assistant(turn);
    this._follow(() => {
      item.classList.remove("pending");
      item.removeAttribute("aria-hidden");
      item.dataset.testid = "assistant-turn";
      item.querySelector(".words").textContent = text;
      if (interrupted) {
        item.classList.add("interrupted");
        const mark = document.createElement("span");
        mark.className = "mark";
        mark.textContent = "stopped when you spoke";
        item.append(mark);
      }
    });
  }

  /** A gentle observation about the person's voice in turn `turn` (optional to show). */
  cue(turn, summary) {
    const cue = document.createElement("p");
    cue.className = "cue";
    cue.dataset.testid = "cue";
    cue.textContent = cueSentence(summary);
    const item = this.users.get(turn);
    if (item) {
      this._follow(() => item.append(cue));
    } else {
      const standalone = document.createElement("li");
      standalone.className = "turn turn-cue";
      standalone.append(cue);
      this._append(standalone);
    }
  }

  /** The check-in's summary, as a card in the conversation (the server's own words). */
  summary(text) {
    const item = document.createElement("li");
    item.className = "summary";
    item.dataset.testid = "summary";
    const title = document.createElement("h2");
    title.textContent = "Today's check-in";
    const words = document.createElement("p");
    words.className = "words";
    words.textContent = text;
    item.append(title, words);
    this._append(item);
  }

  _user(turn) {
    let item = this.users.get(turn);
    if (!item) {
      item = this._item("user", "You", turn);
      this.users.set(turn, item);
      // A typed or spoken turn can arrive after the reply it interrupted was drawn.
      this._append(item);
    }
    return item;
  }

  _assistant(turn) {
    let item = this.assistants.get(turn);
    if (!item) {
      item = this._item("assistant", "Companion", turn);
      this.assistants.set(turn, item);
      this._append(item);
    }
    return item;
  }

  _item(kind, who, turn) {
    const item = document.createElement("li");
    item.className = `turn turn-${kind} pending`;
    item.dataset.turn = String(turn);
    item.dataset.session = String(this.session);
    item.setAttribute("aria-hidden", "true");
    const label = document.createElement("span");
    label.className = "who";
    label.textContent = who;
    const words = document.createElement("p");
    words.className = "words";
    item.append(label, words);
    return item;
  }

  _append(item) {
    this._follow(() => this.list.append(item));
  }

  /** Apply a change; if the reader was at the end of the conversation, stay there. */
  _follow(change) {
    const atBottom = isNearBottom(this.scroller);
    change();
    if (atBottom) this.scroller.scrollTop = this.scroller.scrollHeight;
  }
}

/**
 * The server's cue summary is a phrase ("slower and quieter than usual"); said to the
 * person it becomes "You sound slower and quieter than usual." A whole sentence is kept.
 */
export function cueSentence(summary) {
  const text = summary.trim();
  const sentence = /^[a-z]/.test(text) ? `You sound ${text}` : text;
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

function isNearBottom(element) {
  return element.scrollHeight - element.scrollTop - element.clientHeight < 80;
}
