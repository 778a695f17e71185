// The page's status line, activity line and error box, each set in plain words.

/** Functions that set the three lines; `status`, `activity` and `error` are their elements. */
export function statusLines({ status, activity, error }) {
  function setStatus(state, text) {
    status.dataset.state = state;
    status.textContent = text;
  }

  function setActivity(text) {
    activity.textContent = text;
  }

  /** Show a problem in plain words (or clear it). `kind` lets one cause clear only its own. */
  function showError(text, kind = "other") {
    error.textContent = text;
    error.hidden = !text;
    error.dataset.kind = text ? kind : "";
  }

  function clearError(kind) {
    if (error.dataset.kind === kind) showError("");
  }

  return { setStatus, setActivity, showError, clearError };
}
