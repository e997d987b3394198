// Draws the app icon (a ledger sheet with a check mark) as a 512x512 PNG, with no image tooling needed.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const size = 512;
const px = Buffer.alloc(size * size * 4);
const set = (x, y, [r, g, b, a = 255]) => {
  const i = (y * size + x) * 4;
  px[i] = r;
  px[i + 1] = g;
  px[i + 2] = b;
  px[i + 3] = a;
};
for (let y = 0; y < size; y++) {
  for (let x = 0; x < size; x++) {
    const r = 96,
      inCorner = (cx, cy) => (x - cx) ** 2 + (y - cy) ** 2 > r * r;
    const corner =
      (x < r && y < r && inCorner(r, r)) ||
      (x >= size - r && y < r && inCorner(size - r, r)) ||
      (x < r && y >= size - r && inCorner(r, size - r)) ||
      (x >= size - r && y >= size - r && inCorner(size - r, size - r));
    if (corner) {
      set(x, y, [0, 0, 0, 0]);
      continue;
    }
    set(x, y, [20, 63, 110]);
    if (x > 120 && x < 392 && y > 96 && y < 416) set(x, y, [246, 248, 251]);
    if (x > 150 && x < 362 && (y - 140) % 44 < 6 && y > 140 && y < 300) set(x, y, [178, 190, 205]);
    const d1 = Math.abs(y - x - 160) < 16 && x > 170 && x < 236;
    const d2 = Math.abs(y - (390 - 1.12 * (x - 225))) < 18 && x > 222 && x < 352;
    if (d1 || d2) set(x, y, [28, 140, 84]);
  }
}
const raw = Buffer.alloc((size * 4 + 1) * size);
for (let y = 0; y < size; y++) px.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type), data]);
  const c = Buffer.alloc(4);
  c.writeUInt32BE(crc(body));
  return Buffer.concat([len, body, c]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(size, 0);
ihdr.writeUInt32BE(size, 4);
ihdr[8] = 8;
ihdr[9] = 6;
writeFileSync(
  new URL('../assets/icon.png', import.meta.url),
  Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]),
);
