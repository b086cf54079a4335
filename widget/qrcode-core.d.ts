/** The encoder alone, without the package's canvas and string renderers (the widget draws its own SVG). */
declare module 'qrcode/lib/core/qrcode.js' {
  export { create } from 'qrcode';
}
