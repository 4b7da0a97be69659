import { create } from 'qrcode';

// A text as a QR code, drawn as SVG from the code's module matrix (no image, nothing for the CSP to
// allow). It only repeats a text the screen also shows: `label` names it for screen readers.

/** White modules around the symbol, as the QR standard asks for a reader to find it. */
const QUIET = 4;

export function QrCode({ text, label }: { text: string; label: string }) {
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  const side = modules.size + 2 * QUIET;
  const dark: { x: number; y: number }[] = [];
  for (let y = 0; y < modules.size; y++)
    for (let x = 0; x < modules.size; x++) if (modules.get(y, x)) dark.push({ x, y });
  return (
    <svg
      className="qr-code"
      role="img"
      aria-label={label}
      viewBox={`0 0 ${side} ${side}`}
      shapeRendering="crispEdges"
      data-modules={modules.size}
    >
      <rect width={side} height={side} fill="#fff" />
      {dark.map(({ x, y }) => (
        <rect key={`${x}.${y}`} x={x + QUIET} y={y + QUIET} width={1} height={1} fill="#000" />
      ))}
    </svg>
  );
}
