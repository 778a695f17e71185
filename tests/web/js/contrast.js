// (selector) => WCAG contrast ratio of the element's text against the first opaque
// background found up its ancestors (white if none).
(selector) => {
  const parse = (colour) => colour.match(/[\d.]+/g).map(Number);
  const channel = (v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  let el = document.querySelector(selector);
  const fg = parse(getComputedStyle(el).color);
  let bg = [255, 255, 255];
  for (; el; el = el.parentElement) {
    const c = parse(getComputedStyle(el).backgroundColor);
    if (c.length === 3 || c[3] === 1) {
      bg = c;
      break;
    }
  }
  const [light, dark] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}
