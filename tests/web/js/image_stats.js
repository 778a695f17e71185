// (dataUrl) => stats of a PNG: size, luminance mean and spread, share of dark pixels, colours.
async (url) => {
  const img = new Image();
  img.src = url;
  await img.decode();
  const canvas = new OffscreenCanvas(img.width, img.height);
  const ctx = canvas.getContext("2d");
  ctx.drawImage(img, 0, 0);
  const px = ctx.getImageData(0, 0, img.width, img.height).data;
  let sum = 0;
  let sumSq = 0;
  let dark = 0;
  const colours = new Set();
  for (let i = 0; i < px.length; i += 4) {
    const y = 0.2126 * px[i] + 0.7152 * px[i + 1] + 0.0722 * px[i + 2];
    sum += y;
    sumSq += y * y;
    if (y < 100) dark++;
    if (colours.size < 5000) colours.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
  }
  const n = px.length / 4;
  const mean = sum / n;
  return {
    width: img.width,
    height: img.height,
    mean,
    std: Math.sqrt(Math.max(0, sumSq / n - mean * mean)),
    darkFraction: dark / n,
    colours: colours.size,
  };
}
