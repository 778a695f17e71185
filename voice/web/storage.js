// Remembered settings: localStorage that can be unavailable (private modes), which only forgets.

export const stored = {
  get(key) {
    try {
      return window.localStorage.getItem(key);
    } catch {
      return null;
    }
  },
  set(key, value) {
    try {
      window.localStorage.setItem(key, value);
      return true;
    } catch {
      return false; // not remembered; still applied
    }
  },
  remove(key) {
    try {
      window.localStorage.removeItem(key);
    } catch {
      // nothing stored to remove
    }
  },
};
