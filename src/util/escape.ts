/**
 * Names from a model file (model, node, tensor names) and other outside text reach the terminal: control
 * characters in them (ESC ] 0;… sets the window title, ESC [2J clears the screen, NUL) are shown as escapes
 * instead of being obeyed. Tabs and, where asked, newlines stay.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_AND_NEWLINE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g;

function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with control characters written as `\xNN`; newlines kept when `keepNewlines`. */
export function escapeControl(text: string, keepNewlines = false): string {
  return text.replace(keepNewlines ? CONTROL : CONTROL_AND_NEWLINE, escapeChar);
}
