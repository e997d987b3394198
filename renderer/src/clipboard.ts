/**
 * Copies text the way the desktop app allows: the app grants the page no clipboard permission (copy and paste
 * go through the Edit menu), so a selected, off-screen text area is copied with the user's click; the async
 * clipboard is tried only when that is refused.
 */
export async function copyText(text: string): Promise<boolean> {
  const focused = document.activeElement as HTMLElement | null;
  const area = document.createElement('textarea');
  area.value = text;
  area.readOnly = true;
  area.className = 'offscreen';
  document.body.append(area);
  area.select();
  let copied = false;
  try {
    copied = document.execCommand('copy');
  } catch {
    copied = false;
  }
  area.remove();
  focused?.focus();
  if (copied) return true;
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
